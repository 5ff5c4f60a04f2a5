/** Tests of logit ranking: ties go to the lowest index, top-k is a stable sort of −logits, NaN ranks last. */
import { describe, expect, it } from 'vitest';
import { argmaxRows, topK } from './top-k.js';

describe('topK', () => {
  it('ranks each row, best first', () => {
    const logits = new Float32Array([0.1, 0.9, 0.5, /* row 2 */ 3, 1, 2]);
    expect([...topK(logits, 3, 3)]).toEqual([1, 2, 0, 0, 2, 1]);
    expect([...argmaxRows(logits, 3)]).toEqual([1, 0]);
  });

  it('breaks ties by the lowest index (argmax) and keeps index order in top-5 (stable sort)', () => {
    const logits = new Float32Array([1, 5, 5, 2, 5, 2, 0]);
    expect([...topK(logits, 7, 1)]).toEqual([1]);
    expect([...topK(logits, 7, 5)]).toEqual([1, 2, 4, 3, 5]);
    expect([...topK(new Float32Array(10).fill(0), 10, 5)]).toEqual([0, 1, 2, 3, 4]);
  });

  it('matches a stable sort of −logits on random rows with many ties', () => {
    let seed = 1;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const classes = 13;
    const logits = Float32Array.from({ length: classes * 200 }, () => Math.floor(rand() * 4));
    const got = topK(logits, classes, 5);
    for (let r = 0; r < 200; r++) {
      const row = [...logits.subarray(r * classes, (r + 1) * classes)].map((v, i) => ({ v, i }));
      const want = row.sort((a, b) => b.v - a.v).slice(0, 5).map((e) => e.i); // Array.prototype.sort is stable
      expect([...got.subarray(r * 5, r * 5 + 5)]).toEqual(want);
    }
  });

  it('never prefers NaN over a number', () => {
    expect([...topK(new Float32Array([NaN, -Infinity, 2]), 3, 3)]).toEqual([2, 1, 0]);
  });

  it('BAD CALL: k out of range or a ragged logits array', () => {
    expect(() => topK(new Float32Array(6), 3, 4)).toThrow(RangeError);
    expect(() => topK(new Float32Array(7), 3, 1)).toThrow(RangeError);
  });
});
