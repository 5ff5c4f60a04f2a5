/**
 * MATLAB stores arrays column-major (first index fastest); onebit tensors are row-major (C order,
 * last index fastest). This permutes between the two for any number of dimensions, keeping dims.
 */
import { type Tensor, UnsupportedError, tensor } from '@onebit/core';
import type { MatNumeric } from './mat-types.js';

type Indexable<T> = { readonly length: number; [index: number]: T };

/** Writes the column-major `source` of shape `dims` into `target` in row-major order. */
export function permuteToRowMajor<T>(source: Indexable<T>, target: Indexable<T>, dims: readonly number[]): void {
  const rank = dims.length;
  const count = dims.reduce((a, b) => a * b, 1);
  if (source.length !== count || target.length !== count) {
    throw new RangeError(`shape [${dims.join(', ')}] has ${count} elements but the arrays have ${source.length} and ${target.length}.`);
  }
  if (count === 0) return;
  if (rank <= 1) {
    for (let i = 0; i < count; i++) target[i] = source[i]!;
    return;
  }
  const strides: number[] = [];
  for (let j = 0, s = 1; j < rank; j++) {
    strides.push(s);
    s *= dims[j]!;
  }
  const last = dims[rank - 1]!;
  const lastStride = strides[rank - 1]!;
  const index = new Array<number>(rank - 1).fill(0);
  let base = 0;
  for (let out = 0; out < count; ) {
    for (let i = 0, src = base; i < last; i++, src += lastStride) target[out++] = source[src]!;
    // Advance the outer index (dimension rank-2 fastest), carrying into earlier dimensions.
    for (let j = rank - 2; j >= 0; j--) {
      index[j] = index[j]! + 1;
      base += strides[j]!;
      if (index[j]! < dims[j]!) break;
      base -= strides[j]! * dims[j]!;
      index[j] = 0;
    }
  }
}

const DTYPES = {
  double: 'float64', single: 'float32', int8: 'int8', uint8: 'uint8', int16: 'int16', uint16: 'uint16',
  int32: 'int32', uint32: 'uint32', int64: 'int64', uint64: 'uint64',
} as const;

/** The array as a row-major tensor of the same dims; dtype from its class (logical → uint8). */
export function columnMajorToRowMajor(value: MatNumeric): Tensor {
  if (value.imag) throw new UnsupportedError(`MAT: a complex ${value.className} array of shape [${value.dims.join(', ')}] cannot become a tensor; onebit tensors are real.`);
  const data = new (value.data.constructor as { new (length: number): typeof value.data })(value.data.length);
  permuteToRowMajor<number | bigint>(value.data, data, value.dims);
  return tensor(DTYPES[value.className], value.dims, data as never) as Tensor;
}
