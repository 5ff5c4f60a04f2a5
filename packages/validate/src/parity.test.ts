/** Tests of parity against reference logits: agreement, which images differ, and the largest |Δlogit|. */
import { ModelError } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import { parity } from './parity.js';

describe('parity', () => {
  it('counts top-1 agreement and the largest absolute difference', () => {
    const ref = new Float32Array([1, 2, /**/ 5, -8, /**/ 3, 3]);
    const got = new Float32Array([1, 2.5, /**/ -1, 4, /**/ 3, 3.001]);
    const p = parity(got, ref, 2);
    expect(p.n).toBe(3);
    expect(p.disagreements).toEqual([1, 2]); // image 2: a tie goes to class 0 in the reference
    expect(p.agreement).toBeCloseTo(1 / 3, 12);
    expect(p.maxAbsLogitDiff).toBe(12);
    expect(p.maxAbsReferenceLogit).toBe(8);
  });

  it('is exact on identical logits, and a NaN difference is infinite', () => {
    const ref = new Float32Array([1, 2, 3, 4]);
    expect(parity(ref, ref, 2)).toEqual({ n: 2, agreement: 1, disagreements: [], maxAbsLogitDiff: 0, maxAbsReferenceLogit: 4 });
    expect(parity(new Float32Array([1, NaN, 3, 4]), ref, 2).maxAbsLogitDiff).toBe(Infinity);
  });

  it('EXPECTED FAILURE: references of another size', () => {
    expect(() => parity(new Float32Array(4), new Float32Array(6), 2)).toThrow(ModelError);
  });
});
