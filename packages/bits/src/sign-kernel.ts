/**
 * The inner sign-packing kernel shared by the flat and row packers: reads float32 bit patterns
 * and writes 32 signs per word with integer arithmetic only, so the hot loop has no per-bit
 * branch. Hand-written because no maintained library packs float signs into words.
 */

/**
 * Packs the signs of `count` float32 bit patterns `raw[src..src+count)` into ⌈count/32⌉ words at
 * `out[dst..]` (convention.ts: bit 1 unless strictly negative; padding bits zero). Throws a
 * RangeError naming `who` and the element (its index counted from `indexBase`) when one is NaN.
 */
export function packSignWords(raw: Uint32Array, src: number, count: number, out: Uint32Array, dst: number, who: string, indexBase = src): void {
  const full = count >>> 5;
  for (let w = 0; w < full; w++) {
    const base = src + (w << 5);
    let neg = 0;
    let nan = 0;
    for (let j = 0; j < 32; j++) {
      const u = raw[base + j]!;
      const mag = u & 0x7fffffff;
      // NaN ⇔ magnitude above the infinity pattern: the difference goes negative.
      nan |= 0x7f800000 - mag;
      // Strictly negative ⇔ sign bit set and magnitude non-zero (−0 packs as +1).
      neg |= ((u & ((mag + 0x7fffffff) | 0)) >>> 31) << j;
    }
    if (nan < 0) throwNaN(raw, base, 32, who, base - src + indexBase);
    out[dst + w] = ~neg;
  }
  const rest = count & 31;
  if (rest !== 0) {
    const base = src + (full << 5);
    let neg = 0;
    let nan = 0;
    for (let j = 0; j < rest; j++) {
      const u = raw[base + j]!;
      const mag = u & 0x7fffffff;
      nan |= 0x7f800000 - mag;
      neg |= ((u & ((mag + 0x7fffffff) | 0)) >>> 31) << j;
    }
    if (nan < 0) throwNaN(raw, base, rest, who, base - src + indexBase);
    // padding bits must be zero
    out[dst + full] = ~neg & (0xffffffff >>> (32 - rest));
  }
}

function throwNaN(raw: Uint32Array, base: number, count: number, who: string, indexOfBase: number): never {
  let j = 0;
  while (j < count && (raw[base + j]! & 0x7fffffff) <= 0x7f800000) j++;
  throw new RangeError(`${who}: element ${indexOfBase + j} is NaN, which has no sign bit to keep.`);
}

/** The bit patterns of `values` as a Uint32Array view (a Float32Array is always 4-byte aligned). */
export function float32Bits(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}
