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
