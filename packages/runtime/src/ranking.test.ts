/** Softmax and top-k ranking: hand-computed values, the tie rule and NaN handling. */
import { describe, expect, it } from 'vitest';
import { rankClasses, softmax } from './ranking.js';

describe('softmax', () => {
  it('matches hand-computed values and sums to 1', () => {
    const p = softmax([0, Math.log(3)]);
    expect(p[0]).toBeCloseTo(0.25, 15);
    expect(p[1]).toBeCloseTo(0.75, 15);
  });
  it('is stable for large logits (the WRN sums over 8×8, so logits reach the hundreds)', () => {
    const p = softmax([1000, 1000, 990]);
    expect(p[0]).toBeCloseTo(p[1]!, 15);
    expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 15);
  });
  it('reads a row out of a batch', () => {
    expect(Array.from(softmax([9, 9, 0, 0], 2, 2))).toEqual([0.5, 0.5]);
  });
});

describe('rankClasses', () => {
  it('orders best first, keeps index order on ties and puts NaN last', () => {
    const ranked = rankClasses([0.2, Number.NaN, 0.4, 0.4], ['a', 'b', 'c', 'd'], 4);
    expect(ranked.map((c) => c.label)).toEqual(['c', 'd', 'a', 'b']);
  });
  it('cuts at k and names unlabeled classes', () => {
    expect(rankClasses([0.1, 0.9], [], 1)).toEqual([{ index: 1, label: 'class 1', probability: 0.9 }]);
  });
  it('BAD CALL: k must be a positive integer', () => {
    expect(() => rankClasses([1], ['a'], 0)).toThrow(new RangeError('topK 0 is not a positive integer.'));
  });
});
