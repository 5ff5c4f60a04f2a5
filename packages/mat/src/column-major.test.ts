/** Tests of the column-major → row-major permutation and MatNumeric → Tensor. */
import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '@onebit/core';
import { columnMajorToRowMajor, permuteToRowMajor } from './column-major.js';
import type { MatNumeric } from './mat-types.js';

describe('permuteToRowMajor', () => {
  it('turns a 2×3 MATLAB matrix [1 2 3; 4 5 6] (stored 1 4 2 5 3 6) into C order', () => {
    const out = new Float64Array(6);
    permuteToRowMajor(Float64Array.of(1, 4, 2, 5, 3, 6), out, [2, 3]);
    expect([...out]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('permutes 3-D and 4-D arrays: element (i,j,k) lands at the C-order index', () => {
    for (const dims of [[2, 3, 4], [3, 1, 2, 5], [1, 1, 7], [4], []]) {
      const n = dims.reduce((a, b) => a * b, 1);
      // column-major source holds each element's own C-order index
      const source = new Array<number>(n);
      const index = dims.map(() => 0);
      for (let c = 0; c < n; c++) {
        let colMajor = 0;
        for (let j = dims.length - 1; j >= 0; j--) colMajor = colMajor * dims[j]! + index[j]!;
        source[colMajor] = c;
        for (let j = dims.length - 1; j >= 0; j--) {
          if (++index[j]! < dims[j]!) break;
          index[j] = 0;
        }
      }
      const out = new Array<number>(n);
      permuteToRowMajor(source, out, dims);
      expect(out).toEqual([...Array(n).keys()]);
    }
  });

  it('accepts empty arrays; BAD CALL: refuses arrays of the wrong length', () => {
    permuteToRowMajor([], [], [0, 3]);
    expect(() => permuteToRowMajor([1, 2], [0, 0], [3])).toThrow(RangeError);
  });
});

describe('columnMajorToRowMajor', () => {
  it('keeps dims, takes dtype from the class, and maps logical to uint8', () => {
    const logical: MatNumeric = { kind: 'numeric', className: 'uint8', logical: true, dims: [2, 2], data: Uint8Array.of(1, 0, 0, 1) };
    const t = columnMajorToRowMajor(logical);
    expect(t.dtype).toBe('uint8');
    expect(t.dims).toEqual([2, 2]);
    expect([...t.data]).toEqual([1, 0, 0, 1]);
    const single: MatNumeric = { kind: 'numeric', className: 'single', logical: false, dims: [2, 3], data: Float32Array.of(1, 4, 2, 5, 3, 6) };
    const s = columnMajorToRowMajor(single);
    expect(s.dtype).toBe('float32');
    expect(s.data).toBeInstanceOf(Float32Array);
    expect([...s.data]).toEqual([1, 2, 3, 4, 5, 6]);
    const i64: MatNumeric = { kind: 'numeric', className: 'int64', logical: false, dims: [1, 2], data: BigInt64Array.of(-1n, 2n) };
    expect(columnMajorToRowMajor(i64)).toEqual({ dtype: 'int64', dims: [1, 2], data: BigInt64Array.of(-1n, 2n) });
  });

  it('EXPECTED FAILURE: complex arrays cannot become tensors', () => {
    const complex: MatNumeric = { kind: 'numeric', className: 'double', logical: false, dims: [1, 1], data: Float64Array.of(1), imag: Float64Array.of(2) };
    expect(() => columnMajorToRowMajor(complex)).toThrow(
      new UnsupportedError('MAT: a complex double array of shape [1, 1] cannot become a tensor; onebit tensors are real.'),
    );
  });
});
