/**
 * The tensor onebit passes between packages: plain data `{dtype, dims, data}` on a typed array,
 * with no methods or proxies, so it crosses worker and package boundaries unchanged.
 */
import { type DType, type TensorDataMap } from './dtype.js';

export type TensorOf<D extends DType> = { readonly dtype: D; readonly dims: readonly number[]; readonly data: TensorDataMap[D] };

/** A tensor of any dtype; narrow it by testing `dtype`. */
export type Tensor = { [D in DType]: TensorOf<D> }[DType];

/** Named tensors in file order, as read from a checkpoint. */
export type WeightMap = Map<string, Tensor>;

/** Number of elements of a shape; 1 for a scalar. */
export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** Builds a tensor after checking that `data` holds exactly the elements `dims` describe. */
export function tensor<D extends DType>(dtype: D, dims: readonly number[], data: TensorDataMap[D]): TensorOf<D> {
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw new RangeError(`tensor dimension ${d} in [${dims.join(', ')}] is not a non-negative integer.`);
  }
  const n = elementCount(dims);
  if (data.length !== n) throw new RangeError(`tensor of shape [${dims.join(', ')}] needs ${n} elements but its ${dtype} data has ${data.length}.`);
  return { dtype, dims: [...dims], data };
}

/** `[2, 3, 3]` → `"2×3×3"`, for messages and tables. */
export function formatDims(dims: readonly number[]): string {
  return dims.length === 0 ? 'scalar' : dims.join('×');
}
