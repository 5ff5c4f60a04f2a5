/**
 * Tests of strided tensor rebuilding on hand-made storages: contiguous slices, transposes,
 * zero strides, offsets, scalars, and EXPECTED FAILURE for views reaching past their storage or
 * beyond the load budget.
 */
import { FormatError, LimitError, TensorBudget } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import { TensorRef, materializeTensor, rebuildTensor } from './rebuild-tensor.js';
import { TorchStorage } from './storage.js';

function storage(values: number[]): TorchStorage {
  const s = new TorchStorage('0', 'float32', values.length);
  s.attach(new Uint8Array(new Float32Array(values).buffer), 'test');
  return s;
}
const s12 = storage([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
const view = (offset: number, size: number[], stride: number[]): number[] => [...materializeTensor(new TensorRef(s12, offset, size, stride), 'test', 't').data as Float32Array];

describe('materializeTensor', () => {
  it('copies contiguous views, with offsets, into their own buffers', () => {
    expect(view(0, [3, 4], [4, 1])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(view(5, [2], [1])).toEqual([5, 6]);
    const t = materializeTensor(new TensorRef(s12, 2, [2], [1]), 'test', 't');
    expect(t.data.buffer).not.toBe(s12.elements('test').buffer);
  });
  it('gathers transposes, steps, zero strides and size-1 dimensions', () => {
    expect(view(0, [4, 3], [1, 4])).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    expect(view(1, [2, 2], [6, 2])).toEqual([1, 3, 7, 9]);
    expect(view(3, [3, 2], [0, 1])).toEqual([3, 4, 3, 4, 3, 4]);
    expect(view(7, [1, 2, 1], [99, 1, 99])).toEqual([7, 8]);
    expect(view(11, [], [])).toEqual([11]);
    expect(view(12, [0, 5], [5, 1])).toEqual([]);
  });
  it('EXPECTED FAILURE: refuses a view reaching past its storage', () => {
    expect(() => view(1, [3, 4], [4, 1])).toThrow(FormatError);
    expect(() => view(1, [3, 4], [4, 1])).toThrow("test: tensor 't' (shape 3×4, stride 4×1, offset 1) reaches element 12 of storage '0', which has 12.");
  });
  it('EXPECTED FAILURE: refuses views beyond the budget (zero-stride bombs)', () => {
    expect(() => materializeTensor(new TensorRef(s12, 0, [1e6, 1e6], [0, 0]), 'test', 't', new TensorBudget(1e9))).toThrow(LimitError);
    expect(() => materializeTensor(new TensorRef(s12, 0, [1e6, 1e6], [0, 0]), 'test', 't', new TensorBudget(1e9))).toThrow("test: tensor 't' of shape 1000000×1000000 (float32) would take 4000000000000 bytes, beyond the 1000000000-byte limit (maxTensorBytes); pass a larger maxTensorBytes option to the reader (--max-tensor-bytes on the command line) if the file is trusted.");
  });
});

describe('rebuildTensor', () => {
  it('EXPECTED FAILURE: checks its arguments', () => {
    expect(() => rebuildTensor(['x', 0, [1], [1]], 'test', 5)).toThrow("test: _rebuild_tensor_v2 at byte 5 gets the string 'x' instead of a storage.");
    expect(() => rebuildTensor([s12, -1, [1], [1]], 'test', 5)).toThrow('gets storage offset the number -1');
    expect(() => rebuildTensor([s12, 0, [2, 2], [1]], 'test', 5)).toThrow('gets stride a 1-item list/tuple for a 2-dimensional size');
  });
});
