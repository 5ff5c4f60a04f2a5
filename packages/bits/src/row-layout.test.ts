/** Tests of the packing-axis rule: rows = dims[0], rank 0 and 1 are one row. */
import { describe, expect, it } from 'vitest';
import { rowLayout, wordsPerRow } from './row-layout.js';

describe('rowLayout', () => {
  it.each([
    [[2, 1, 3, 3], 2, 9, 1],
    [[160, 160, 3, 3], 160, 1440, 45],
    [[10, 640], 10, 640, 20],
    [[33], 1, 33, 2],
    [[], 1, 1, 1],
    [[0, 3, 3, 3], 0, 27, 1],
    [[4, 0], 4, 0, 0],
  ])('%j → %i rows of %i in %i words', (dims, rows, rowLength, rowWords) => {
    expect(rowLayout(dims)).toEqual({ rows, rowLength, rowWords });
  });

  it('rounds rows up to whole words', () => {
    expect([0, 1, 31, 32, 33, 64, 65].map(wordsPerRow)).toEqual([0, 1, 1, 1, 2, 2, 3]);
  });

  it('BAD CALL: refuses negative or fractional dims', () => {
    expect(() => rowLayout([2, -1])).toThrow(RangeError);
    expect(() => rowLayout([2.5])).toThrow(RangeError);
  });
});
