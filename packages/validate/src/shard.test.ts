/** Tests of --shard parsing and the contiguous blocks it selects. */
import { describe, expect, it } from 'vitest';
import { parseShard, shardRange } from './shard.js';

describe('shards', () => {
  it('parses i/n', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 });
    expect(parseShard(' 4/4 ')).toEqual({ index: 4, count: 4 });
  });

  it('BAD CALL: malformed or out-of-range shards', () => {
    for (const bad of ['0/4', '5/4', '1/0', '1-4', 'a/b', '', '1/4/2']) expect(() => parseShard(bad), bad).toThrow(RangeError);
    expect(() => parseShard('5/4')).toThrow("--shard must be i/n with 1 ≤ i ≤ n, got '5/4'.");
    expect(() => shardRange(10, { index: 0, count: 2 })).toThrow(RangeError);
  });

  it('gives 1000 images in 4 blocks of 250 and 10 in 4 as 3, 3, 2, 2', () => {
    expect([1, 2, 3, 4].map((index) => shardRange(1000, { index, count: 4 }))).toEqual([[0, 250], [250, 500], [500, 750], [750, 1000]]);
    expect([1, 2, 3, 4].map((index) => shardRange(10, { index, count: 4 }))).toEqual([[0, 3], [3, 6], [6, 8], [8, 10]]);
    expect(shardRange(2, { index: 3, count: 3 })).toEqual([2, 2]);
  });

  it('tiles [0, total) in order for every total up to 40 and count up to 9', () => {
    for (let total = 0; total <= 40; total++) {
      for (let count = 1; count <= 9; count++) {
        let next = 0;
        for (let index = 1; index <= count; index++) {
          const [start, end] = shardRange(total, { index, count });
          expect(start).toBe(next);
          expect(end - start).toBeGreaterThanOrEqual(Math.floor(total / count));
          expect(end - start).toBeLessThanOrEqual(Math.ceil(total / count));
          next = end;
        }
        expect(next).toBe(total);
      }
    }
  });
});
