/**
 * Recognises weights that are already binary, so they are packed losslessly instead of being
 * re-binarized: exactly two values ±a (one a for the tensor or one per output channel), or 0/1
 * bits whose scale is stored elsewhere. Also measures how far a float weight is from binary,
 * which is how onebit warns that a model was not trained for 1-bit weights.
 */
import { toFloat32, type Tensor } from '@onebit/core';

export type BinaryKind =
  | { kind: 'plus-minus'; scale: number }
  | { kind: 'plus-minus-per-channel'; scale: Float32Array }
  | { kind: 'bits01' };

/** How a tensor is already binary, or undefined if it is not. */
export function detectBinary(t: Tensor): BinaryKind | undefined {
  if (t.dtype === 'int64' || t.dtype === 'uint64') return undefined;
  const v = toFloat32(t.dtype, t.data);
  if (v.length === 0) return undefined;
  let zeroOne = true;
  for (let i = 0; i < v.length && zeroOne; i++) zeroOne = v[i] === 0 || v[i] === 1;
  if (zeroOne && (t.dtype === 'uint8' || t.dtype === 'bool' || t.dtype === 'int8')) return { kind: 'bits01' };
  const a = Math.abs(v[0]!);
  if (a > 0 && v.every((x) => Math.abs(x) === a)) return { kind: 'plus-minus', scale: a };
  const rows = t.dims[0] ?? 1;
  if (t.dims.length < 2 || rows < 1 || v.length % rows !== 0) return undefined;
  const rowLength = v.length / rows;
  const scale = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const ar = Math.abs(v[r * rowLength]!);
    if (!(ar > 0)) return undefined;
    for (let j = r * rowLength; j < (r + 1) * rowLength; j++) if (Math.abs(v[j]!) !== ar) return undefined;
    scale[r] = ar;
  }
  return { kind: 'plus-minus-per-channel', scale };
}

/**
 * Relative distance of a float weight from its best binary approximation a·sign(w) with
 * a = mean|w|: ‖w − a·sign(w)‖ / ‖w‖. 0 for an exactly binary tensor; about 0.6 for Gaussian
 * weights (√(1 − 2/π)), which is what a model not trained for 1-bit weights looks like.
 */
export function binaryDistance(t: Tensor): number {
  const v = toFloat32(t.dtype, t.data);
  let sumAbs = 0;
  let sumSq = 0;
  for (let i = 0; i < v.length; i++) {
    sumAbs += Math.abs(v[i]!);
    sumSq += v[i]! * v[i]!;
  }
  if (sumSq === 0) return 0;
  const a = sumAbs / v.length;
  // ‖w − a·sign(w)‖² = Σw² − 2aΣ|w| + n·a²
  const residual = Math.max(0, sumSq - 2 * a * sumAbs + v.length * a * a);
  return Math.sqrt(residual / sumSq);
}

/** A tensor whose nonzero elements are ±a, with a per tensor or per slice along one axis. */
export interface SignsAndScale {
  /** One a for the tensor, or one per index of `axis`. */
  readonly scale: number | Float32Array;
  readonly axis: number;
  /** How many elements are exactly 0 (PyTorch's sign(0) = 0); binarizing makes them +a. */
  readonly zeros: number;
}

/**
 * Whether `values` (C order, shape `dims`) is already binary: every nonzero element is ±a, with one
 * a for the whole tensor or one a per index along `axis` (the op's output-channel axis: 0 for Conv
 * and Gemm [out, in], 1 for MatMul [in, out] and ConvTranspose [in, out/g, k…]). Exact zeros are
 * allowed and counted, since PyTorch's `sign(0)` is 0; a slice of zeros only is not binary.
 */
export function detectSigns(values: ArrayLike<number>, dims: readonly number[], axis: number): SignsAndScale | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  let zeros = 0;
  let a = 0;
  let single = true;
  for (let i = 0; i < n; i++) {
    const m = Math.abs(values[i]!);
    if (!Number.isFinite(m)) return undefined;
    if (m === 0) zeros++;
    else if (a === 0) a = m;
    else if (m !== a) single = false;
  }
  if (a === 0) return undefined;
  if (single) return { scale: a, axis, zeros };
  const channels = dims[axis];
  if (channels === undefined || dims.length < 2) return undefined;
  let inner = 1;
  for (let i = axis + 1; i < dims.length; i++) inner *= dims[i]!;
  const scale = new Float32Array(channels);
  for (let i = 0; i < n; i++) {
    const m = Math.abs(values[i]!);
    if (m === 0) continue;
    const c = Math.floor(i / inner) % channels;
    if (scale[c] === 0) scale[c] = m;
    else if (scale[c] !== m) return undefined;
  }
  // float32 scales must hold a exactly, or the packed weight would not be the tensor's own values.
  for (let i = 0; i < n; i++) {
    const m = Math.abs(values[i]!);
    if (m !== 0 && scale[Math.floor(i / inner) % channels] !== m) return undefined;
  }
  if (scale.some((s) => s === 0)) return undefined;
  return { scale, axis, zeros };
}
