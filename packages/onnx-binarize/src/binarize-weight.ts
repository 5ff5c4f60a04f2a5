/**
 * Binarizes one candidate weight with its layout in mind. [out, in, k…] weights (Conv, Gemm with
 * transB=1) go straight to binarizeTensor. [in, out] weights (MatMul, Gemm transB=0) have
 * fan_in = dims[0], so `he` is sqrt(2/dims[0]); `mean-abs` per output channel would need a scale per
 * column, which a BinaryWeight (one scale per dims[0] row) cannot hold, so it is refused.
 */
import type { BinaryWeight } from '@onebit/bits';
import { binarizeTensor, type ScaleRule } from '@onebit/binarize';
import { ModelError, UnsupportedError } from '@onebit/core';
import type { WeightCandidate } from './candidates.js';

export function binarizeCandidate(c: WeightCandidate, rule: ScaleRule): BinaryWeight {
  if (c.layout === 'out-in') return binarizeTensor(c.tensor, rule, c.name);
  if (rule === 'mean-abs') {
    throw new UnsupportedError(`Weight '${c.name}' of ${c.opType} '${c.node}' is laid out [in, out]; per-output-channel mean-abs scales are supported only for [out, in] weights (Conv, Gemm with transB=1).`);
  }
  const fanIn = c.tensor.dims[0]!;
  if (!(fanIn > 0)) throw new ModelError(`Weight '${c.name}' has shape [${c.tensor.dims.join(', ')}] with zero fan-in.`, c.name);
  return binarizeTensor(c.tensor, rule === 'he' ? Math.sqrt(2 / fanIn) : rule, c.name);
}
