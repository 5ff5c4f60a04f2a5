/**
 * Flat sign packing: `n` values → ⌈n/8⌉ bytes, element k in bit k mod 8 of byte ⌊k/8⌋ (see
 * convention.ts). Hand-written because no maintained library packs float signs; the kernel reads
 * float32 bit patterns 32 at a time and writes whole 32-bit words.
 */

/** Packs the signs of `values` (sign(0) = +1) into ⌈n/8⌉ bytes; padding bits are zero. */
export function packSigns(values: Float32Array): Uint8Array {
  const n = values.length;
  const words = new Uint32Array(Math.ceil(n / 32));
  // Float32 bit patterns: x < 0 ⇔ sign bit set and magnitude bits non-zero (−0 counts as +1).
  const aligned = values.byteOffset % 4 === 0 ? values : values.slice();
  const raw = new Uint32Array(aligned.buffer, aligned.byteOffset, n);
  const full = n >>> 5;
  for (let w = 0; w < full; w++) {
    let word = 0;
    const base = w << 5;
    for (let j = 0; j < 32; j++) {
      const u = raw[base + j]!;
      if ((u & 0x7fffffff) > 0x7f800000) throw new RangeError(`packSigns: element ${base + j} is NaN, which has no sign bit to keep.`);
      // bit = 1 unless strictly negative
      word |= (((u >>> 31) & ((u & 0x7fffffff) !== 0 ? 1 : 0)) ^ 1) << j;
    }
    words[w] = word;
  }
  if (full * 32 < n) {
    let word = 0;
    for (let k = full * 32; k < n; k++) {
      const x = values[k]!;
      if (Number.isNaN(x)) throw new RangeError(`packSigns: element ${k} is NaN, which has no sign bit to keep.`);
      if (x >= 0) word |= 1 << (k & 31);
    }
    words[full] = word;
  }
  return new Uint8Array(words.buffer, 0, Math.ceil(n / 8));
}

/** Decodes `count` elements of flat-packed bits to ±1 floats (bit 1 → +1, bit 0 → −1). */
export function unpackSigns(bytes: Uint8Array, count: number): Float32Array {
  if (bytes.length < Math.ceil(count / 8)) throw new RangeError(`unpackSigns: ${count} elements need ${Math.ceil(count / 8)} bytes but ${bytes.length} were given.`);
  const out = new Float32Array(count);
  for (let k = 0; k < count; k++) out[k] = (bytes[k >>> 3]! >>> (k & 7)) & 1 ? 1 : -1;
  return out;
}
