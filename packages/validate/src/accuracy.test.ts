/** Tests of accuracyReport on a hand-computed 4-image, 6-class case. */
import { ModelError } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import { accuracyReport } from './accuracy.js';
import { wilsonInterval } from './wilson.js';

describe('accuracyReport', () => {
  // Image 0: label 0, predicted 0. Image 1: label 1, tie 1 vs 2 → 1 (lowest index). Image 2: label 5,
  // ranked 0,1,2,3,4 then 5 → top-1 and top-5 wrong. Image 3: label 2, ranked 1,2,… → top-1 wrong, top-5 right.
  const logits = new Float32Array([
    9, 1, 1, 1, 1, 1,
    0, 7, 7, 0, 0, 0,
    6, 5, 4, 3, 2, 1,
    0, 9, 8, 0, 0, 0,
  ]);
  const labels = [0, 1, 5, 2];
  const r = accuracyReport(logits, labels, 6);

  it('computes errors, predictions and the interval', () => {
    expect(r.n).toBe(4);
    expect(r.predictions).toEqual([0, 1, 0, 1]);
    expect(r.top1Error).toBe(0.5);
    expect(r.top5Error).toBe(0.25);
    expect(r.top1ErrorCI95).toEqual(wilsonInterval(2, 4));
  });

  it('computes per-class accuracy (null for empty classes) and the confusion matrix', () => {
    expect(r.perClassCount).toEqual([1, 1, 1, 0, 0, 1]);
    expect(r.perClassAccuracy).toEqual([1, 1, 0, null, null, 0]);
    expect(r.confusion[0]).toEqual([1, 0, 0, 0, 0, 0]);
    expect(r.confusion[2]).toEqual([0, 1, 0, 0, 0, 0]);
    expect(r.confusion[5]).toEqual([1, 0, 0, 0, 0, 0]);
    expect(r.confusion.flat().reduce((a, b) => a + b)).toBe(4);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('uses all classes for "top-5" when there are fewer than five', () => {
    expect(accuracyReport(new Float32Array([1, 2]), [0], 2).top5Error).toBe(0);
  });

  it('EXPECTED FAILURE: a label the model has no output for', () => {
    expect(() => accuracyReport(new Float32Array([1, 2]), [2], 2)).toThrow(ModelError);
    expect(() => accuracyReport(new Float32Array([1, 2]), [2], 2)).toThrow('Label 2 of image 0 is not a class of a model with 2 outputs.');
  });

  it('BAD CALL: logits and labels of different lengths', () => {
    expect(() => accuracyReport(new Float32Array(5), [0], 2)).toThrow(RangeError);
  });
});
