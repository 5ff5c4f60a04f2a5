/** Tests of row-padded word packing: the golden 2×1×3×3 example, edge sizes, sign(0), NaN. */
import { describe, expect, it } from 'vitest';
import { findDirtyRowPadding, packRows, unpackRows } from './pack-rows.js';
import { wordsPerRow } from './row-layout.js';

const EDGE = [1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 127];

function random(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = (s / 2 ** 32) * 2 - 1;
  }
  return x;
}

const sign = (v: number): number => (v >= 0 ? 1 : -1);
const hex = (words: Uint32Array): string[] => Array.from(words, (w) => w.toString(16).padStart(8, '0'));

describe('packRows', () => {
  it('packs the hand-worked 2×1×3×3 weight one row per filter', () => {
    // filter 0: + - + / - - + / + + -  → bits j=0..8: 1 0 1 0 0 1 1 1 0 → 0b0_1110_0101 = 0xe5
    // filter 1: - - - / + + + / 0 -0 - → bits j=0..8: 0 0 0 1 1 1 1 1 0 → 0b0_1111_1000 = 0xf8
    const w = new Float32Array([0.3, -0.1, 2, -5, -0.2, 1, 1, 4, -1, -3, -3, -3, 3, 3, 3, 0, -0, -7]);
    const words = packRows(w, 2, 9);
    expect(hex(words)).toEqual(['000000e5', '000000f8']);
    expect(Array.from(new Uint8Array(words.buffer))).toEqual([0xe5, 0, 0, 0, 0xf8, 0, 0, 0]);
    expect(Array.from(unpackRows(words, 2, 9))).toEqual(Array.from(w, sign));
  });

  it('puts element j of a row in bit j mod 32 of word ⌊j/32⌋', () => {
    const x = new Float32Array(70).fill(-1);
    x[0] = 1; x[31] = 1; x[32] = 1; x[69] = 1;
    expect(hex(packRows(x, 1, 70))).toEqual(['80000001', '00000001', '00000020']);
  });

  for (const rows of EDGE) {
    it.each(EDGE)(`round-trips ${rows} rows of %i and zeroes the padding`, (rowLength) => {
      const x = random(rows * rowLength, rows * 131 + rowLength);
      const words = packRows(x, rows, rowLength);
      expect(words.length).toBe(rows * wordsPerRow(rowLength));
      expect(findDirtyRowPadding(words, rows, rowLength)).toBe(-1);
      const rest = rowLength % 32;
      if (rest !== 0) for (let r = 0; r < rows; r++) expect(words[(r + 1) * wordsPerRow(rowLength) - 1]! >>> rest).toBe(0);
      expect(unpackRows(words, rows, rowLength)).toEqual(Float32Array.from(x, sign));
    });
  }

  it('treats 0 and −0 as +1 and tiny negatives, −Infinity as −1', () => {
    const x = new Float32Array([0, -0, 1e-45, -1e-45, Infinity, -Infinity, -0, 0]);
    expect(Array.from(unpackRows(packRows(x, 2, 4), 2, 4))).toEqual([1, 1, 1, -1, 1, -1, 1, 1]);
  });

  it('refuses NaN in a full word and in a tail, naming the element', () => {
    const x = new Float32Array(40).fill(1);
    x[37] = Number.NaN;
    expect(() => packRows(x, 1, 40)).toThrow(/packRows: element 37 is NaN/);
    x[37] = 1;
    x[5] = -Number.NaN;
    expect(() => packRows(x, 2, 20)).toThrow(/element 5 is NaN/);
  });

  it('handles empty shapes', () => {
    expect(packRows(new Float32Array(0), 0, 9).length).toBe(0);
    expect(packRows(new Float32Array(0), 3, 0).length).toBe(0);
    expect(unpackRows(new Uint32Array(0), 3, 0).length).toBe(0);
  });

  it('BAD CALL: refuses lengths that do not match the shape', () => {
    expect(() => packRows(new Float32Array(5), 2, 3)).toThrow(RangeError);
    expect(() => unpackRows(new Uint32Array(1), 2, 3)).toThrow(RangeError);
    expect(() => packRows(new Float32Array(0), -1, 0)).toThrow(RangeError);
  });
});

describe('findDirtyRowPadding', () => {
  it('finds the first row with a set padding bit', () => {
    const words = new Uint32Array([0x1ff, 0x3ff, 0x200]);
    expect(findDirtyRowPadding(words, 3, 9)).toBe(1);
    expect(findDirtyRowPadding(new Uint32Array([0xffffffff]), 1, 32)).toBe(-1);
  });
});
