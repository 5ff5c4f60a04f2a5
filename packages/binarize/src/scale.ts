/**
 * Scales for binary weights. The paper's rule (McDonnell 2018, eq. 1) is a constant, unlearned
 * per-layer scale equal to the He-initialisation standard deviation, sqrt(2 / fan_in), where
 * fan_in = F² · C_in for a conv of kernel F×F. `mean-abs` is the XNOR-Net/BWN rule: the mean of
 * |w| over each output channel.
 */
import { ModelError } from '@onebit/core';

/** fan_in of a weight laid out [C_out, C_in, k…] (conv) or [out, in] (Gemm/linear): C_in · Πk. */
export function fanIn(dims: readonly number[], name = 'weight'): number {
  if (dims.length < 2) throw new ModelError(`Weight '${name}' has shape [${dims.join(', ')}]; a binary weight needs at least [out, in].`, name);
  let f = 1;
  for (let i = 1; i < dims.length; i++) f *= dims[i]!;
  if (f === 0) throw new ModelError(`Weight '${name}' has shape [${dims.join(', ')}] with zero fan-in.`, name);
  return f;
}

/** The paper's fixed scale sqrt(2 / (F² · C_in)). */
export function heScale(dims: readonly number[], name?: string): number {
  return Math.sqrt(2 / fanIn(dims, name));
}

/** Mean |w| over each output channel (dims[0] rows of the C-order data). */
export function meanAbsScale(data: Float32Array, dims: readonly number[]): Float32Array {
  const rows = dims[0] ?? 1;
  const rowLength = rows === 0 ? 0 : data.length / rows;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = r * rowLength; j < (r + 1) * rowLength; j++) s += Math.abs(data[j]!);
    out[r] = rowLength === 0 ? 0 : s / rowLength;
  }
  return out;
}
