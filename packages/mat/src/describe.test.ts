/** Tests of describeMat / describeValue lines. */
import { describe, expect, it } from 'vitest';
import { describeMat } from './describe.js';
import type { MatFile, MatValue } from './mat-types.js';

describe('describeMat', () => {
  it('gives one line per variable, cell and field, with class, dims, scalars and text', () => {
    const variables = new Map<string, MatValue>([
      ['w', { kind: 'numeric', className: 'uint8', logical: true, dims: [3, 3, 2, 4], data: new Uint8Array(72) }],
      ['z', { kind: 'numeric', className: 'double', logical: false, dims: [1, 1], data: Float64Array.of(1), imag: Float64Array.of(2) }],
      ['c', { kind: 'cell', dims: [1, 2], cells: [
        { kind: 'char', dims: [1, 2], text: 'hi' },
        { kind: 'numeric', className: 'int64', logical: false, dims: [1, 1], data: BigInt64Array.of(-5n) },
      ] }],
      ['s', { kind: 'struct', dims: [2, 1], fieldNames: ['a'], elements: [
        new Map<string, MatValue>([['a', { kind: 'numeric', className: 'single', logical: false, dims: [0, 0], data: new Float32Array(0) }]]),
        new Map<string, MatValue>([['a', { kind: 'char', dims: [1, 70], text: 'x'.repeat(70) }]]),
      ] }],
    ]);
    const file: MatFile = { header: 'MATLAB 5.0 MAT-file', version: 0x0100, littleEndian: true, variables };
    expect(describeMat(file)).toEqual([
      'w: logical 3×3×2×4',
      'z: complex double 1×1',
      'c: cell 1×2',
      '  c{1}: char 1×2 "hi"',
      '  c{2}: int64 1×1 = -5',
      's: struct 2×1 with fields a',
      '  s(1).a: single 0×0',
      `  s(2).a: char 1×70 "${'x'.repeat(60)}…"`,
    ]);
  });
});
