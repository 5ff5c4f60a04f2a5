/**
 * Turns one candidate weight into a BinaryWeight. A weight already ±a (per tensor or per output
 * channel along the op's output axis, with PyTorch's exact zeros counted), or declared binary by
 * the graph (Sign·Mul, QONNX quantizers), keeps its own scale; any other float weight becomes
 * sign(w) (sign(0) = +1) times the rule's scale: `he` = sqrt(2/fan_in) (McDonnell 2018, eq. 1) with
 * the fan-in of the op's layout, a fixed number, or `mean-abs` per output channel.
 */
import { packSigns, type BinaryWeight } from '@onebit/bits';
import { detectSigns, meanAbsScale, type ScaleRule } from '@onebit/binarize';
import { ModelError, UnsupportedError } from '@onebit/core';
import type { WeightCandidate } from './candidates.js';

export interface CandidateWeight {
  /** The sign bits with a scale per tensor or per dims[0] (what the packed storage holds). */
  readonly weight: BinaryWeight;
  /** A per-output-channel scale along an axis other than 0 (MatMul, ConvTranspose), applied by a Mul after decoding. */
  readonly axisScale?: { readonly axis: number; readonly scale: Float32Array };
  /** How many elements were exactly 0 and became +scale. */
  readonly zeros: number;
  /** Whether the tensor was already ±a (its own scale kept) rather than binarized with the rule. */
  readonly ownScale: boolean;
}

/** sign(v) as ±1 with sign(0) = +1, taken in float64 so tiny float64 values keep their sign. */
function signs(values: ArrayLike<number>): Float32Array {
  return Float32Array.from(values as ArrayLike<number>, (v) => (v >= 0 || Object.is(v, -0) ? 1 : -1));
}

/** The already-binary reading of `c`, if its values are ±a (with or without exact zeros). */
export function ownBinaryWeight(c: WeightCandidate): CandidateWeight | undefined {
  const t = c.tensor;
  if (!t) return undefined;
  const found = detectSigns(t.values, t.dims, c.outAxis) ?? (c.outAxis !== 0 ? detectSigns(t.values, t.dims, 0) : undefined);
  if (!found) return undefined;
  const bits = packSigns(signs(t.values));
  if (typeof found.scale === 'number' || found.axis === 0) return { weight: { dims: [...t.dims], bits, scale: found.scale }, zeros: found.zeros, ownScale: true };
  return { weight: { dims: [...t.dims], bits, scale: 1 }, axisScale: { axis: found.axis, scale: found.scale }, zeros: found.zeros, ownScale: true };
}

/** sign(w) × the rule's scale for a float candidate. */
export function binarizeCandidate(c: WeightCandidate, rule: ScaleRule): CandidateWeight {
  const t = c.tensor;
  if (!t) throw new ModelError(`Weight '${c.name}' of ${c.opType} '${c.node}' is not a constant and cannot be binarized.`, c.name);
  let zeros = 0;
  for (let i = 0; i < t.values.length; i++) {
    const v = t.values[i]!;
    if (!Number.isFinite(v)) throw new ModelError(`Weight '${c.name}' holds ${v} at element ${i}; cannot take its sign.`, c.name);
    if (v === 0) zeros++;
  }
  const bits = packSigns(signs(t.values));
  let scale: number | Float32Array;
  if (rule === 'mean-abs') {
    if (c.outAxis !== 0) {
      throw new UnsupportedError(`Weight '${c.name}' of ${c.opType} '${c.node}' is laid out [in, out]; per-output-channel mean-abs scales are supported only for [out, in] weights (Conv, Gemm with transB=1).`);
    }
    scale = meanAbsScale(Float32Array.from(t.values), t.dims);
  } else {
    scale = rule === 'he' ? Math.sqrt(2 / c.fanIn) : rule;
    if (!(scale > 0 && Number.isFinite(scale))) throw new RangeError(`Binarization scale ${scale} for '${c.name}' must be a positive finite number.`);
  }
  return { weight: { dims: [...t.dims], bits, scale }, zeros, ownScale: false };
}
