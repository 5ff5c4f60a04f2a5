/** Tests of the flat-bytes ↔ row-words conversions against the packers over edge sizes. */
import { describe, expect, it } from 'vitest';
import { flatToRowWords, rowWordsToFlat } from './flat-rows.js';
import { packSigns } from './pack-flat.js';
import { packRows } from './pack-rows.js';

const EDGE = [1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 127];

function random(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 32 - 0.5;
  }
  return x;
}

describe('flatToRowWords / rowWordsToFlat', () => {
  it('converts the golden 2×1×3×3 bytes e5 f0 01 to row words e5, f8 and back', () => {
    const words = flatToRowWords(new Uint8Array([0xe5, 0xf0, 0x01]), 2, 9);
    expect(Array.from(words)).toEqual([0xe5, 0xf8]);
    expect(Array.from(rowWordsToFlat(words, 2, 9))).toEqual([0xe5, 0xf0, 0x01]);
  });

  for (const rows of EDGE) {
    it.each(EDGE)(`agrees with packRows and packSigns for ${rows} rows of %i`, (rowLength) => {
      const x = random(rows * rowLength, rows * 1009 + rowLength);
      const flat = packSigns(x);
      const words = packRows(x, rows, rowLength);
      expect(flatToRowWords(flat, rows, rowLength)).toEqual(words);
      expect(rowWordsToFlat(words, rows, rowLength)).toEqual(flat);
    });
  }

  it('drops set padding bits of row words instead of leaking them into the next row', () => {
    expect(Array.from(rowWordsToFlat(new Uint32Array([0xffffff00, 0x1]), 2, 4))).toEqual([0x10]);
  });

  it('handles empty shapes', () => {
    expect(flatToRowWords(new Uint8Array(0), 0, 5).length).toBe(0);
    expect(rowWordsToFlat(new Uint32Array(0), 4, 0).length).toBe(0);
  });

  it('BAD CALL: refuses a byte count that does not match the shape', () => {
    expect(() => flatToRowWords(new Uint8Array(2), 2, 9)).toThrow(RangeError);
    expect(() => rowWordsToFlat(new Uint32Array(3), 2, 9)).toThrow(RangeError);
  });
});
