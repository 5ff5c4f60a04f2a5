/**
 * Evidence, from the model alone, of whether float weights were trained as float or are the latent
 * weights of a 1-bit-trained model (both are far from ±a, so binaryDistance cannot tell). A
 * BatchNormalization right after a Conv stores each output channel's running variance, which
 * tracks the squared norm of the weights the network was trained with. Trained as float, var_c
 * grows with ‖w_c‖² (the Pearson correlation of log var_c and log ‖w_c‖² is about 0.9 on the
 * published ResNet-20); trained with sign(w)·scale, every channel's binary weight has the same norm
 * and var_c ignores ‖w_c‖² (about −0.7 on the 1-bit MNIST fixture). Below FLOAT_TRAINED_CORRELATION
 * the weights are taken as 1-bit-trained latents.
 */
import { toFloat32 } from '@onebit/core';
import type { OnnxModel } from '@onebit/onnx';

/** Mean correlation above which a model is taken to have been trained with float weights. */
export const FLOAT_TRAINED_CORRELATION = 0.5;

export interface TrainingEvidence {
  /** 'float-trained' | 'one-bit-trained', or 'unknown' when no Conv → BatchNormalization pair could be read. */
  readonly verdict: 'float-trained' | 'one-bit-trained' | 'unknown';
  /** Mean correlation over the layers measured. */
  readonly correlation?: number;
  /** Number of Conv → BatchNormalization pairs measured. */
  readonly layers: number;
}

/** The correlation of log running_var with log ‖w_c‖² for the Conv weight `name`, or undefined. */
export function bnCorrelation(model: OnnxModel, name: string): number | undefined {
  const g = model.graph;
  const conv = g.nodes.find((n) => n.opType === 'Conv' && n.inputs[1] === name);
  const bn = conv && g.nodes.find((n) => n.opType === 'BatchNormalization' && n.inputs[0] === conv.outputs[0]);
  const varName = bn?.inputs[4];
  const w = g.initializers.find((i) => i.name === name)?.tensor;
  const v = varName === undefined ? undefined : g.initializers.find((i) => i.name === varName)?.tensor;
  if (!w || !v || v.dims.length !== 1 || v.dims[0] !== w.dims[0]) return undefined;
  const rows = w.dims[0]!;
  if (rows < 4) return undefined;
  const values = toFloat32(w.dtype, w.data);
  const variances = toFloat32(v.dtype, v.data);
  const rowLength = values.length / rows;
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = r * rowLength; j < (r + 1) * rowLength; j++) s += values[j]! * values[j]!;
    if (!(s > 0) || !(variances[r]! > 0)) return undefined;
    a.push(Math.log(s));
    b.push(Math.log(variances[r]!));
  }
  return pearson(a, b);
}

/** The verdict over the given Conv weights (those followed by a BatchNormalization). */
export function trainingEvidence(model: OnnxModel, names: readonly string[]): TrainingEvidence {
  const cs = names.map((n) => bnCorrelation(model, n)).filter((c): c is number => c !== undefined);
  if (cs.length === 0) return { verdict: 'unknown', layers: 0 };
  const correlation = cs.reduce((s, c) => s + c, 0) / cs.length;
  return { verdict: correlation > FLOAT_TRAINED_CORRELATION ? 'float-trained' : 'one-bit-trained', correlation, layers: cs.length };
}

function pearson(a: number[], b: number[]): number | undefined {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : undefined;
}
