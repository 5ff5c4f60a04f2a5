/** Tests of flat sign packing: a hand-worked golden example, edge sizes, and round trips. */
import { describe, expect, it } from 'vitest';
import { packSigns, unpackSigns } from './pack-flat.js';

describe('packSigns', () => {
  it('packs a hand-worked 2×1×3×3 weight to the documented bytes', () => {
    // filter 0: + - + / - - + / + + -   → bits k=0..8: 1 0 1 0 0 1 1 1 0
    // filter 1: - - - / + + + / 0 -0 -  → bits k=9..17: 0 0 0 1 1 1 1 1 0
    // byte0 = bits 0..7  = 1,0,1,0,0,1,1,1 → 0b11100101 = 0xe5
    // byte1 = bits 8..15 = 0,0,0,0,1,1,1,1 → 0b11110000 = 0xf0
    // byte2 = bits 16,17 = 1,0 then zero padding → 0x01
    const w = new Float32Array([0.3, -0.1, 2, -5, -0.2, 1, 1, 4, -1, -3, -3, -3, 3, 3, 3, 0, -0, -7]);
    expect(Array.from(packSigns(w))).toEqual([0xe5, 0xf0, 0x01]);
  });

  it.each([1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 127])('round-trips %i elements and zeroes the padding', (n) => {
    const x = new Float32Array(n);
    let seed = n * 7919;
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      x[i] = (seed / 2 ** 32) * 2 - 1;
    }
    const packed = packSigns(x);
    expect(packed.length).toBe(Math.ceil(n / 8));
    expect(Array.from(unpackSigns(packed, n))).toEqual(Array.from(x, (v) => (v >= 0 ? 1 : -1)));
    const last = packed[packed.length - 1]!;
    const usedBits = n % 8 === 0 ? 8 : n % 8;
    expect(last >>> usedBits).toBe(0);
  });

  it('refuses NaN because it has no sign to keep', () => {
    expect(() => packSigns(new Float32Array([1, Number.NaN]))).toThrow(/element 1 is NaN/);
    const x = new Float32Array(100);
    x[70] = Number.NaN;
    expect(() => packSigns(x)).toThrow(/element 70 is NaN/);
  });

  it('matches a plain per-bit reference loop, with ±0 and ±Infinity mixed in', () => {
    const special = [0, -0, Infinity, -Infinity, 1e-45, -1e-45];
    for (const n of [0, 1, 31, 32, 33, 1000, 1031]) {
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = i % 7 === 0 ? special[i % special.length]! : Math.sin(i * 12.9898) * 43758.5453 % 1;
      const ref = new Uint8Array(Math.ceil(n / 8));
      for (let k = 0; k < n; k++) if (x[k]! >= 0) ref[k >> 3]! |= 1 << (k & 7);
      expect(packSigns(x)).toEqual(ref);
      expect(unpackSigns(ref, n)).toEqual(Float32Array.from(x, (v) => (v >= 0 ? 1 : -1)));
    }
  });
});
