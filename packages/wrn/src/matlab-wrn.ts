/**
 * Reads the authors' MATLAB (MatConvNet) wide ResNet release into a WrnNetwork. The file holds
 * BinaryWeights{i} (0/1, bit 1 → +LayerWeights(i)), Moments{i} = [mean, sigma], BNG/BNB (gain,
 * bias), Stride, Padding and LayerTypes; depth, widths, strides and class count all come from it.
 * Computation (their Test_1_bit_per_weight_models.m): for each layer BN → ReLU → conv; at each
 * 'Residual_sum' the residual is saved (first time) or added (pooled 3×3/s2/pad 1 and zero-padded
 * in channels when the map shrank); then the last BN and a spatial sum. BN uses sigma as-is.
 */
import { bitsToBinaryWeight } from '@onebit/binarize';
import { ModelError } from '@onebit/core';
import type { MatFile } from '@onebit/mat';
import { matlabFilterToOnnx } from './layout.js';
import { bitsOf, cells, numbersOf, variable } from './mat-access.js';
import { expectBatchNormCounts, matBatchNorm } from './mat-batchnorm.js';
import type { Layer, WrnNetwork } from './network.js';

export function isMatlabWrn(file: MatFile): boolean {
  return file.variables.has('BinaryWeights') && file.variables.has('Moments');
}

export function readMatlabWrn(file: MatFile): WrnNetwork {
  const weightCells = cells(variable(file, 'BinaryWeights'), 'BinaryWeights');
  const moments = cells(variable(file, 'Moments'), 'Moments');
  const gains = cells(variable(file, 'BNG'), 'BNG');
  const biases = cells(variable(file, 'BNB'), 'BNB');
  const scales = numbersOf(variable(file, 'LayerWeights'), 'LayerWeights');
  const strides = numbersOf(variable(file, 'Stride'), 'Stride');
  const paddings = numbersOf(variable(file, 'Padding'), 'Padding');
  const nConv = weightCells.length;
  expectBatchNormCounts(nConv, [['Moments', moments.length], ['BNG', gains.length], ['BNB', biases.length]]);
  for (const [what, n] of [['LayerWeights', scales.length], ['Stride', strides.length], ['Padding', paddings.length]] as const) {
    if (n !== nConv) throw new ModelError(`'${what}' has ${n} entries but there are ${nConv} conv layers.`, what);
  }
  const residualAfter = residualPositions(file, nConv);

  const layers: Layer[] = [];
  let channels = 0;
  let size = 32;
  let savedSize = 0;
  let savedChannels = 0;
  let hasSaved = false;
  const bn = (i: number, relu: boolean): Layer =>
    matBatchNorm(`bn${i + 1}`, { moments: moments[i]!, momentsName: `Moments{${i + 1}}`, scale: gains[i]!, scaleName: `BNG{${i + 1}}`, bias: biases[i]!, biasName: `BNB{${i + 1}}` }, relu);

  for (let i = 0; i < nConv; i++) {
    const cell = weightCells[i]!;
    if (cell.kind !== 'numeric') throw new ModelError(`BinaryWeights{${i + 1}} is a ${cell.kind} array; expected 0/1 bits.`, `BinaryWeights{${i + 1}}`);
    const { bits, dims } = matlabFilterToOnnx(bitsOf(cell, `BinaryWeights{${i + 1}}`), cell.dims, `BinaryWeights{${i + 1}}`);
    if (i === 0) channels = dims[1];
    if (dims[1] !== channels) throw new ModelError(`Conv ${i + 1} expects ${dims[1]} input channels but layer ${i} produces ${channels}.`, `BinaryWeights{${i + 1}}`);
    const stride = strides[i]!;
    const pad = paddings[i]!;
    layers.push(bn(i, true));
    layers.push({ op: 'conv', name: `conv${i + 1}`, weight: bitsToBinaryWeight(bits, dims, Math.fround(scales[i]!), `conv${i + 1}`), strides: [stride, stride], pads: [pad, pad, pad, pad] });
    size = Math.floor((size + 2 * pad - dims[2]) / stride) + 1;
    channels = dims[0];
    if (residualAfter.has(i)) {
      if (!hasSaved) {
        layers.push({ op: 'save-residual' });
        hasSaved = true;
      } else {
        const shrink = savedSize > size;
        if (channels < savedChannels) throw new ModelError(`The residual into conv ${i + 1} has ${savedChannels} channels but the block outputs ${channels}.`, `BinaryWeights{${i + 1}}`);
        layers.push({ op: 'add-residual', zeroChannels: channels - savedChannels, ...(shrink ? { pool: { kernel: 3, stride: 2, pads: [1, 1, 1, 1] as const } } : {}) });
      }
      savedSize = size;
      savedChannels = channels;
    }
  }
  layers.push(bn(nConv, false));
  layers.push({ op: 'global-pool', reduce: 'sum' });

  const first = layers.find((l) => l.op === 'conv');
  const inputChannels = first && first.op === 'conv' ? first.weight.dims[1]! : 3;
  const recorded = file.variables.get('PercentCorrectTest');
  const notes: Record<string, string | number> = { convLayers: nConv, header: file.header };
  if (recorded?.kind === 'numeric' && recorded.data.length > 0) notes['recordedTestAccuracyPercent'] = Number(recorded.data[recorded.data.length - 1]!);
  return { family: 'mcdonnell-matlab-wrn', inputShape: [inputChannels, 32, 32], numClasses: channels, preprocess: 'raw255', layers, notes };
}

/**
 * Conv indices (0-based) after which a 'Residual_sum' happens. Taken from LayerTypes when the
 * file has it ('input', then 'brw' per conv, 'Residual_sum' markers, a final 'brg'); otherwise
 * the authors' rule: after every odd-numbered layer (1-based) except the last.
 */
function residualPositions(file: MatFile, nConv: number): Set<number> {
  const out = new Set<number>();
  const types = file.variables.get('LayerTypes');
  if (types?.kind === 'cell') {
    let conv = -1;
    for (const [k, t] of types.cells.entries()) {
      const s = t.kind === 'char' ? t.text.trim() : '';
      if (s === 'brw') conv++;
      else if (s === 'Residual_sum') {
        if (conv < 0) throw new ModelError(`LayerTypes{${k + 1}} is a Residual_sum before any conv layer.`, 'LayerTypes');
        out.add(conv);
      } else if (s !== 'input' && s !== 'brg') throw new ModelError(`LayerTypes{${k + 1}} is '${s}', which the MATLAB WRN reader does not know.`, 'LayerTypes');
    }
    if (conv + 1 !== nConv) throw new ModelError(`LayerTypes lists ${conv + 1} conv layers but BinaryWeights has ${nConv}.`, 'LayerTypes');
    return out;
  }
  for (let i = 0; i < nConv - 1; i += 2) out.add(i);
  return out;
}
