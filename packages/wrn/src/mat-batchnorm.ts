/**
 * A batch norm of the authors' MATLAB releases as a BatchNormLayer: moments stored as a C×2
 * column-major [mean, sigma] array (sigma used as-is, so epsilon 0), gains and offsets as C
 * vectors. Used by the WRN (Moments/BNG/BNB) and the plain net (BN_Moments/BN_Scales/BN_Offsets).
 */
import { ModelError } from '@onebit/core';
import type { MatValue } from '@onebit/mat';
import { column, float32Of } from './mat-access.js';
import type { BatchNormLayer } from './network.js';

/**
 * Checks that each batch-norm cell array (`[variable name, entry count]`) holds `nConv + 1` entries:
 * the releases put a batch norm before every conv and one after the last. Throws a ModelError
 * naming the first variable that has lost or gained one.
 */
export function expectBatchNormCounts(nConv: number, counts: readonly (readonly [string, number])[]): void {
  for (const [what, n] of counts) {
    if (n !== nConv + 1) throw new ModelError(`'${what}' has ${n} entries but ${nConv} conv layers need ${nConv + 1} batch norms.`, what);
  }
}

/** The variables one batch norm is read from, with the names errors use (e.g. `BN_Moments{3}`). */
export interface MatBatchNorm {
  readonly moments: MatValue;
  readonly momentsName: string;
  readonly scale: MatValue;
  readonly scaleName: string;
  readonly bias: MatValue;
  readonly biasName: string;
}

/**
 * y = scale·(x − mean)/sigma + bias per channel (then ReLU when `relu`); a ModelError names the
 * variable whose length does not fit the moments' C.
 */
export function matBatchNorm(name: string, v: MatBatchNorm, relu: boolean): BatchNormLayer {
  const m = float32Of(v.moments, v.momentsName);
  if (m.length === 0 || m.length % 2 !== 0) throw new ModelError(`'${v.momentsName}' holds ${m.length} values; expected C×2 [mean, sigma].`, v.momentsName);
  const c = m.length / 2;
  const sigma = column(m, c, 1);
  const scale = float32Of(v.scale, v.scaleName);
  const bias = float32Of(v.bias, v.biasName);
  for (const [what, got] of [[v.scaleName, scale.length], [v.biasName, bias.length]] as const) {
    if (got !== c) throw new ModelError(`'${what}' holds ${got} values but '${v.momentsName}' describes ${c} channels.`, what);
  }
  return { op: 'batchnorm', name, relu, epsilon: 0, mean: column(m, c, 0), variance: sigma.map((s) => s * s), scale, bias };
}
