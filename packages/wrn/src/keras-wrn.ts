/**
 * Reads the authors' tf.keras wide ResNet release (`*_allparams.mat`) into a WrnNetwork.
 * Variables `conv2d[_k]` hold 0/1 kernels [1,]kH×kW×C_in×C_out (bit 1 → +sqrt(2/(kH·kW·C_in)));
 * `batch_normalization*` arrays come in layer order: the first is 4×C (gamma, beta, mean,
 * variance) and has no ReLU after it; the others are 2×C (mean, variance), no affine. Epsilon is
 * 1e-5. After the stem conv, every two convs close a residual block; a block whose first conv
 * raises the channel count has stride 2 (TF 'same' padding: 0 top/left, 1 bottom/right) and its
 * residual is 3×3/s2 average-pooled with the same padding and zero-padded in channels. Then
 * BN → ReLU → 1×1 conv → BN → spatial mean (their ResNetModel.py).
 */
import { bitsToBinaryWeight, heScale } from '@onebit/binarize';
import { ModelError } from '@onebit/core';
import type { MatFile } from '@onebit/mat';
import { matlabFilterToOnnx } from './layout.js';
import { bitsOf, float32Of, numeric } from './mat-access.js';
import type { Layer, Pads, WrnNetwork } from './network.js';

const CONV = /^conv2d(?:_(\d+))?$/;
const BN = /^batch_normalization(?:_v\d+)?(?:_(\d+))?$/;

export function isKerasWrn(file: MatFile): boolean {
  return [...file.variables.keys()].some((k) => CONV.test(k));
}

/** TF 'same' padding for one axis: total max((out−1)·s + k − in, 0), the extra pixel at the end. */
function samePads(size: number, kernel: number, stride: number): { out: number; before: number; after: number } {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return { out, before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
}

export function readKerasWrn(file: MatFile, fileName = 'the file'): WrnNetwork {
  const names = [...file.variables.keys()];
  const convNames = names.filter((k) => CONV.test(k)).sort((a, b) => suffix(a, CONV) - suffix(b, CONV));
  const bnNames = names.filter((k) => BN.test(k)).sort((a, b) => suffix(a, BN) - suffix(b, BN));
  if (bnNames.length === 0) {
    throw new ModelError(
      `${fileName} holds only the ${convNames.length} conv bit arrays and no batch-norm statistics; convert the matching *_allparams.mat (e.g. CIFAR10_allparams.mat from the same release) instead.`,
      convNames[0],
    );
  }
  if (bnNames.length !== convNames.length + 1) {
    throw new ModelError(`${fileName} has ${convNames.length} conv layers but ${bnNames.length} batch norms; expected one more batch norm than convs.`, bnNames[0]);
  }
  const nConv = convNames.length;
  if (nConv < 4 || (nConv - 2) % 2 !== 0) throw new ModelError(`${fileName} has ${nConv} conv layers; a Keras WRN has a stem, pairs of block convs and a 1×1 head.`, convNames[0]);

  const bn = (i: number, relu: boolean): Layer => {
    const name = bnNames[i]!;
    const v = numeric(file.variables.get(name)!, name);
    const values = float32Of(v, name);
    const [rows, cols] = [v.dims[0]!, v.dims[1] ?? 1];
    if (rows !== 2 && rows !== 4) throw new ModelError(`Batch norm '${name}' has shape [${v.dims.join(', ')}]; expected 2×C (mean, variance) or 4×C (gamma, beta, mean, variance).`, name);
    const row = (r: number) => Float32Array.from({ length: cols }, (_, c) => values[r + rows * c]!); // column-major
    const affine = rows === 4;
    return {
      op: 'batchnorm', name, relu, epsilon: 1e-5,
      scale: affine ? row(0) : new Float32Array(cols).fill(1),
      bias: affine ? row(1) : new Float32Array(cols),
      mean: row(affine ? 2 : 0),
      variance: row(affine ? 3 : 1),
    };
  };

  const layers: Layer[] = [];
  let size = 32;
  let channels = 0;
  const conv = (i: number, stride: number): void => {
    const name = convNames[i]!;
    const v = numeric(file.variables.get(name)!, name);
    const { bits, dims } = matlabFilterToOnnx(bitsOf(v, name), v.dims, name);
    if (i > 0 && dims[1] !== channels) throw new ModelError(`Conv '${name}' expects ${dims[1]} input channels but the previous layer produces ${channels}.`, name);
    const ph = samePads(size, dims[2], stride);
    const pw = samePads(size, dims[3], stride);
    layers.push({
      op: 'conv', name,
      weight: bitsToBinaryWeight(bits, dims, Math.fround(heScale(dims, name)), name),
      strides: [stride, stride],
      pads: [ph.before, pw.before, ph.after, pw.after],
    });
    size = ph.out;
    channels = dims[0];
  };
  const outChannels = (i: number): number => {
    const v = numeric(file.variables.get(convNames[i]!)!, convNames[i]!);
    return v.dims[v.dims.length - 1]!;
  };

  layers.push(bn(0, false));
  conv(0, 1);
  layers.push({ op: 'save-residual' });
  for (let i = 1; i + 1 < nConv - 1; i += 2) {
    const widen = outChannels(i) > channels;
    const inSize = size;
    const inChannels = channels;
    layers.push(bn(i, true));
    conv(i, widen ? 2 : 1);
    layers.push(bn(i + 1, true));
    conv(i + 1, 1);
    const p = samePads(inSize, 3, 2);
    layers.push({
      op: 'add-residual',
      zeroChannels: channels - inChannels,
      ...(widen ? { pool: { kernel: 3, stride: 2, pads: [p.before, p.before, p.after, p.after] as Pads } } : {}),
    });
  }
  layers.push(bn(nConv - 1, true));
  conv(nConv - 1, 1);
  layers.push(bn(nConv, false));
  layers.push({ op: 'global-pool', reduce: 'mean' });
  const first = layers[1];
  const inputChannels = first?.op === 'conv' ? first.weight.dims[1]! : 3;
  return { family: 'mcdonnell-keras-wrn', inputShape: [inputChannels, 32, 32], numClasses: channels, preprocess: 'raw255', layers, notes: { convLayers: nConv, header: file.header } };
}

function suffix(name: string, re: RegExp): number {
  return Number(re.exec(name)?.[1] ?? -1);
}
