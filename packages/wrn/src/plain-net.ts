/**
 * Reads the authors' plain (no residual) all-convolutional network release — the 20-4 CIFAR-100
 * model, CIFAR100_20-4-Plain_644kB.mat — into the layer list the WRNs use. The file holds
 * BooleanSingleBitWeights{L} (0/1 per weight, kH×kW×C_in×C_out, bit 1 → +LayerScales(L)),
 * LayerScales (stored, not the he rule), Stride, Padding, and BN_Moments/BN_Scales/BN_Offsets for
 * the L+1 batch norms. Computation (the authors' TestCIFAR100_PlainCNN.m, summarised in
 * ../shared/reference/README.md): BN_1 on the raw 0..255 image, then per layer ReLU → conv
 * (symmetric Padding, Stride) × LayerScales(L) → BN_{L+1}; logits are the sum over the final map.
 * Depth, widths, strides, padding and class count all come from the file.
 */
import { bitsToBinaryWeight } from '@onebit/binarize';
import { ModelError } from '@onebit/core';
import type { MatFile } from '@onebit/mat';
import { matlabFilterToOnnx } from './layout.js';
import { bitsOf, cells, numbersOf, variable } from './mat-access.js';
import { expectBatchNormCounts, matBatchNorm } from './mat-batchnorm.js';
import type { BatchNormLayer, Layer, WrnNetwork } from './network.js';

/** The variable only the plain-net release has (the WRN releases call theirs BinaryWeights / conv2d_*). */
export const PLAIN_NET_WEIGHTS = 'BooleanSingleBitWeights';

/** True for a MAT file shaped like the authors' plain-net release. */
export function isPlainNet(file: MatFile): boolean {
  return file.variables.has(PLAIN_NET_WEIGHTS);
}

/** The plain net as a layer list (BN → ReLU → conv per layer, a last BN, a spatial sum); ModelErrors name the variable at fault. */
export function readPlainNet(file: MatFile): WrnNetwork {
  const weightCells = cells(variable(file, PLAIN_NET_WEIGHTS), PLAIN_NET_WEIGHTS);
  const moments = cells(variable(file, 'BN_Moments'), 'BN_Moments');
  const gains = cells(variable(file, 'BN_Scales'), 'BN_Scales');
  const offsets = cells(variable(file, 'BN_Offsets'), 'BN_Offsets');
  const scales = numbersOf(variable(file, 'LayerScales'), 'LayerScales');
  const strides = numbersOf(variable(file, 'Stride'), 'Stride');
  const paddings = numbersOf(variable(file, 'Padding'), 'Padding');
  const nConv = scales.length;
  // LayerScales, Stride and Padding say how many layers there are; a weights cell array that
  // disagrees has lost (or gained) a layer, and is the variable named.
  for (const [what, n] of [['Stride', strides.length], ['Padding', paddings.length], [PLAIN_NET_WEIGHTS, weightCells.length]] as const) {
    if (n !== nConv) throw new ModelError(`'${what}' has ${n} entries but 'LayerScales' describes ${nConv} conv layers.`, what);
  }
  expectBatchNormCounts(nConv, [['BN_Moments', moments.length], ['BN_Scales', gains.length], ['BN_Offsets', offsets.length]]);
  const bn = (i: number, relu: boolean): BatchNormLayer =>
    matBatchNorm(`bn${i + 1}`, { moments: moments[i]!, momentsName: `BN_Moments{${i + 1}}`, scale: gains[i]!, scaleName: `BN_Scales{${i + 1}}`, bias: offsets[i]!, biasName: `BN_Offsets{${i + 1}}` }, relu);

  const layers: Layer[] = [];
  let channels = 0;
  for (let i = 0; i < nConv; i++) {
    const name = `${PLAIN_NET_WEIGHTS}{${i + 1}}`;
    const cell = weightCells[i]!;
    if (cell.kind !== 'numeric' || cell.data.length === 0) throw new ModelError(`${name} is ${cell.kind === 'numeric' ? 'empty' : `a ${cell.kind} array`}; expected the layer's 0/1 weight bits.`, name);
    const { bits, dims } = matlabFilterToOnnx(bitsOf(cell, name), cell.dims, name);
    const norm = bn(i, true);
    layers.push(norm);
    if (i === 0) channels = norm.mean.length;
    if (dims[1] !== channels) throw new ModelError(`${name} expects ${dims[1]} input channels but ${i === 0 ? 'the input batch norm BN_Moments{1} has' : `layer ${i} produces`} ${channels}.`, name);
    const scale = scales[i]!;
    if (!(scale > 0) || !Number.isFinite(scale)) throw new ModelError(`LayerScales(${i + 1}) is ${scale}; a layer scale must be a positive number.`, 'LayerScales');
    const stride = strides[i]!;
    const pad = paddings[i]!;
    if (!Number.isInteger(stride) || stride < 1) throw new ModelError(`Stride(${i + 1}) is ${stride}; expected a positive integer.`, 'Stride');
    if (!Number.isInteger(pad) || pad < 0) throw new ModelError(`Padding(${i + 1}) is ${pad}; expected a non-negative integer.`, 'Padding');
    layers.push({ op: 'conv', name: `conv${i + 1}`, weight: bitsToBinaryWeight(bits, dims, Math.fround(scale), `conv${i + 1}`), strides: [stride, stride], pads: [pad, pad, pad, pad] });
    channels = dims[0];
  }
  const last = bn(nConv, false);
  if (last.mean.length !== channels) throw new ModelError(`BN_Moments{${nConv + 1}} has ${last.mean.length} channels but the last conv produces ${channels}.`, `BN_Moments{${nConv + 1}}`);
  layers.push(last, { op: 'global-pool', reduce: 'sum' });
  const first = layers.find((l) => l.op === 'conv');
  const inputChannels = first && first.op === 'conv' ? first.weight.dims[1]! : 3;
  return {
    family: 'mcdonnell-plain-cnn',
    inputShape: [inputChannels, 32, 32],
    numClasses: channels,
    preprocess: 'raw255',
    layers,
    scale: "the file's stored LayerScales (not the he rule), times the next batch norm's γ/σ per output channel",
    compactOnnx: true,
    notes: { convLayers: nConv, header: file.header },
  };
}
