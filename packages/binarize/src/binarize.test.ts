/** Tests of the paper's binarization maths: He scale, sign(0) = +1, bit packing, expansion. */
import { describe, expect, it } from 'vitest';
import { tensor } from '@onebit/core';
import { binarizeTensor, bitsToBinaryWeight, expandBinaryWeight } from './binarize.js';
import { fanIn, heScale, meanAbsScale } from './scale.js';

describe('heScale', () => {
  it('is sqrt(2 / (F² · C_in)) for a conv weight [C_out, C_in, F, F]', () => {
    // WRN-20-10 first layer: 3×3 kernel over 3 channels → sqrt(2/27); matches LayerWeights(1) in the authors' file.
    expect(heScale([160, 3, 3, 3])).toBeCloseTo(0.27216553, 7);
    expect(heScale([160, 160, 3, 3])).toBeCloseTo(Math.sqrt(2 / 1440), 12);
    expect(heScale([10, 640, 1, 1])).toBeCloseTo(0.0559017, 7);
    expect(fanIn([10, 64])).toBe(64);
  });
  it('refuses a 1-D weight', () => {
    expect(() => heScale([5], 'bias')).toThrow("Weight 'bias' has shape [5]; a binary weight needs at least [out, in].");
  });
});

describe('binarizeTensor', () => {
  it('maps w to ±sqrt(2/fan_in) with sign(0) = +1 and packs LSB first', () => {
    const w = tensor('float32', [2, 1, 2, 2], new Float32Array([0.5, -0.25, 0, -0, -1, 2, -3, 4]));
    const b = binarizeTensor(w);
    expect(b.scale).toBeCloseTo(Math.sqrt(2 / 4), 12);
    // signs: + - + + | - + - +  → bits 1,0,1,1,0,1,0,1 → 0b10101101
    expect(Array.from(b.bits)).toEqual([0b10101101]);
    const s = Math.sqrt(0.5);
    expect(Array.from(expandBinaryWeight(b))).toEqual([s, -s, s, s, -s, s, -s, s].map(Math.fround));
  });
  it('uses the per-output-channel mean |w| for mean-abs', () => {
    const w = tensor('float32', [2, 2], new Float32Array([1, -3, 0.5, 0.5]));
    const b = binarizeTensor(w, 'mean-abs');
    expect(Array.from(b.scale as Float32Array)).toEqual([2, 0.5]);
    expect(Array.from(expandBinaryWeight(b))).toEqual([2, -2, 0.5, 0.5]);
    expect(Array.from(meanAbsScale(new Float32Array([1, -1, 2, -4]), [2, 2]))).toEqual([1, 3]);
  });
  it('rejects non-finite weights with the element index', () => {
    const w = tensor('float32', [1, 2], new Float32Array([1, Number.POSITIVE_INFINITY]));
    expect(() => binarizeTensor(w, 'he', 'conv1.weight')).toThrow("Weight 'conv1.weight' holds Infinity at element 1; cannot take its sign.");
  });
});

describe('bitsToBinaryWeight', () => {
  it('reads bit 1 as +scale and refuses values other than 0/1', () => {
    const b = bitsToBinaryWeight(new Uint8Array([1, 0, 0, 1]), [2, 2], 0.5);
    expect(Array.from(expandBinaryWeight(b))).toEqual([0.5, -0.5, -0.5, 0.5]);
    expect(() => bitsToBinaryWeight(new Uint8Array([1, 2]), [1, 2], 1, 'w7')).toThrow("Bit array 'w7' holds 2 at element 1; expected only 0 and 1.");
  });
});
