/**
 * torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, ...): a tensor is a
 * strided view into a storage, possibly non-contiguous (transposes, slices, expand's zero strides)
 * and possibly sharing the storage with other views. onebit copies each view out into its own
 * contiguous C-order @onebit/core Tensor.
 */
import { DTYPE_BYTES, FormatError, type Tensor, type TensorBudget, type TensorDataMap, allocate, elementCount, formatDims } from '@onebit/core';
import { describeValue } from './pickle-value.js';
import { TorchStorage } from './storage.js';

/** A tensor as the pickle describes it, before its storage bytes are known. */
export class TensorRef {
  constructor(
    readonly storage: TorchStorage,
    readonly storageOffset: number,
    readonly size: readonly number[],
    readonly stride: readonly number[],
  ) {}
}

/** Checks `_rebuild_tensor_v2` arguments; the data is copied later by `materializeTensor`. */
export function rebuildTensor(args: readonly unknown[], format: string, offset: number): TensorRef {
  const [storage, storageOffset, size, stride] = args;
  const bad = (why: string): never => {
    throw new FormatError(format, `_rebuild_tensor_v2 at byte ${offset} ${why}.`, offset);
  };
  if (!(storage instanceof TorchStorage)) return bad(`gets ${describeValue(storage)} instead of a storage`);
  if (!isIndex(storageOffset)) return bad(`gets storage offset ${describeValue(storageOffset)}`);
  if (!Array.isArray(size) || !size.every(isIndex)) return bad(`gets size ${describeValue(size)} instead of a tuple of non-negative integers`);
  if (!Array.isArray(stride) || !stride.every(isIndex) || stride.length !== size.length) {
    return bad(`gets stride ${describeValue(stride)} for a ${size.length}-dimensional size`);
  }
  return new TensorRef(storage, storageOffset, size as number[], stride as number[]);
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Copies the view `ref` into a contiguous tensor; `name` is used in messages. Its bytes are charged
 * to `budget` (the reader's maxTensorBytes) first: views with zero strides could otherwise explode.
 */
export function materializeTensor(ref: TensorRef, format: string, name: string, budget?: TensorBudget): Tensor {
  const { storage, storageOffset, size, stride } = ref;
  const dtype = storage.dtype;
  const n = elementCount(size);
  budget?.charge(format, `tensor '${name}' of shape ${formatDims(size)} (${dtype})`, n * DTYPE_BYTES[dtype]);
  if (n === 0) return { dtype, dims: [...size], data: allocate(dtype, 0) } as Tensor;
  let last = storageOffset;
  for (let d = 0; d < size.length; d++) last += (size[d]! - 1) * stride[d]!;
  if (last >= storage.numel) {
    throw new FormatError(format, `tensor '${name}' (shape ${formatDims(size)}, stride ${stride.join('×') || 'scalar'}, offset ${storageOffset}) reaches element ${last} of storage '${storage.key}', which has ${storage.numel}.`);
  }
  const source = storage.elements(format);
  let contiguous = true;
  for (let d = size.length - 1, expected = 1; d >= 0; d--) {
    if (size[d] !== 1 && stride[d] !== expected) contiguous = false;
    expected *= size[d]!;
  }
  if (contiguous) return { dtype, dims: [...size], data: source.slice(storageOffset, storageOffset + n) } as Tensor;
  return { dtype, dims: [...size], data: gather(source, allocate(dtype, n), storageOffset, size, stride) } as Tensor;
}

type Indexable = { [i: number]: number | bigint };

/** out[i] = source[offset + Σ index_d · stride_d] over the C-order indices of `size`. */
export function gather<T extends TensorDataMap[keyof TensorDataMap]>(source: T, out: T, offset: number, size: readonly number[], stride: readonly number[]): T {
  const rank = size.length;
  const index = new Array<number>(rank).fill(0);
  const src = source as unknown as Indexable;
  const dst = out as unknown as Indexable;
  let position = offset;
  for (let i = 0; i < out.length; i++) {
    dst[i] = src[position]!;
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d]! < size[d]!) {
        position += stride[d]!;
        break;
      }
      position -= (size[d]! - 1) * stride[d]!;
      index[d] = 0;
    }
  }
  return out;
}
