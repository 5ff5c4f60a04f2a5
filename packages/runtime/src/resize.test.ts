/** The triangle-filter resize: identity, exact downscale by averaging, upscale interpolation, edge handling. */
import { describe, expect, it } from 'vitest';
import { resizeImage } from './resize.js';

describe('resizeImage', () => {
  it('copies an image of the same size unchanged', () => {
    const data = Uint8Array.from({ length: 2 * 2 * 3 }, (_, i) => i * 10);
    expect(resizeImage(data, 2, 2, 3, 2, 2)).toEqual(data);
  });

  it('halves 4×1 to 2×1 with the widened triangle (weights 1/8, 3/8, 3/8, 1/8 within the image)', () => {
    // output pixel 0 is centred at source x = 1.0, support 2: taps at 0.5 (w .75) and 1.5 (w .25)... normalised
    const out = resizeImage(Uint8Array.from([0, 100, 200, 255]), 4, 1, 1, 2, 1);
    // x=0: taps i=0 (|0.5-1|/2 → 0.75), i=1 (0.75), i=2 (0.25) → (0·.75 + 100·.75 + 200·.25)/1.75 = 71.4
    // x=1: centre 3; taps i=1 (0.25), i=2 (0.75), i=3 (0.75) → (25 + 150 + 191.25)/1.75 = 209.3
    expect(Array.from(out)).toEqual([71, 209]);
  });

  it('averages a 2×2 checkerboard to its mean when shrinking to 1×1', () => {
    expect(Array.from(resizeImage(Uint8Array.from([0, 255, 255, 0]), 2, 2, 1, 1, 1))).toEqual([128]);
  });

  it('interpolates when enlarging 2×1 to 4×1, clamping at the edges', () => {
    // centres at 0.25, 0.75 → taps on pixel centres 0.5 and 1.5, weights by distance
    expect(Array.from(resizeImage(Uint8Array.from([0, 200]), 2, 1, 1, 4, 1))).toEqual([0, 50, 150, 200]);
  });

  it('keeps a constant image constant for any size', () => {
    const data = new Uint8Array(7 * 5 * 4).fill(77);
    expect(new Set(resizeImage(data, 7, 5, 4, 32, 32))).toEqual(new Set([77]));
    expect(new Set(resizeImage(data, 7, 5, 4, 3, 2))).toEqual(new Set([77]));
  });

  it('BAD CALL: data must match the size', () => {
    expect(() => resizeImage(new Uint8Array(5), 2, 2, 1, 1, 1)).toThrow(new RangeError('5 bytes are not 2×2 pixels of 1 channels.'));
  });
});
