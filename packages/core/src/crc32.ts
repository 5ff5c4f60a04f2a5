/**
 * CRC-32 (the zlib/gzip/PNG one: reflected polynomial 0xEDB88320, init and final XOR 0xFFFFFFFF)
 * over bytes, table-driven. Hand-written because no installed maintained library exports it
 * (fflate keeps its crc32 private) and node:zlib is not allowed in this browser-safe package.
 */

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of `bytes` as an unsigned 32-bit number. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A CRC as the header stores it: 8 lowercase hex digits. */
export function crcHex(crc: number): string {
  return crc.toString(16).padStart(8, '0');
}
