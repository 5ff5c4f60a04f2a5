/**
 * The CRC-32 of each entry as a zip archive's central directory records it (APPNOTE.TXT 4.3.12,
 * 4.3.16, zip64 4.3.14–4.3.15), so that every inflated entry can be checked: fflate's unzipSync
 * locates and inflates entries but never compares their CRC-32. Hand-written for that one field.
 */
import { FormatError } from '@onebit/core';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;

/** Entry name → CRC-32 from the central directory; throws FormatError when it is unreadable or lists a name twice. */
export function centralDirectoryCrcs(bytes: Uint8Array, format: string): Map<string, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);
  const u64 = (at: number): number => Number(view.getBigUint64(at, true));
  const bad = (why: string, at?: number): never => {
    throw new FormatError(format, `the zip central directory ${why}.`, at);
  };
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (u32(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) bad('end record is missing (file truncated?)');
  let count = u16(eocd + 10);
  let offset = u32(eocd + 16);
  if ((count === 0xffff || offset === 0xffffffff) && eocd >= 20 && u32(eocd - 20) === ZIP64_LOCATOR) {
    const z = u64(eocd - 12);
    if (z + 56 > bytes.length || u32(z) !== ZIP64_EOCD) bad(`zip64 end record at byte ${z} is missing`, z);
    count = u64(z + 32);
    offset = u64(z + 48);
  }
  const decoder = new TextDecoder();
  const crcs = new Map<string, number>();
  for (let i = 0, at = offset; i < count; i++) {
    if (at + 46 > bytes.length || u32(at) !== CENTRAL) bad(`entry ${i} at byte ${at} has no central header signature`, at);
    const nameLength = u16(at + 28);
    if (at + 46 + nameLength > bytes.length) bad(`entry ${i} at byte ${at} has a name beyond the end of the file`, at);
    const raw = bytes.subarray(at + 46, at + 46 + nameLength);
    // as fflate names entries: UTF-8 when general-purpose bit 11 is set, else Latin-1
    const name = u16(at + 8) & 0x800 ? decoder.decode(raw) : String.fromCharCode(...raw);
    if (crcs.has(name)) bad(`lists the entry '${name}' twice`, at);
    crcs.set(name, u32(at + 16));
    at += 46 + nameLength + u16(at + 30) + u16(at + 32);
  }
  return crcs;
}
