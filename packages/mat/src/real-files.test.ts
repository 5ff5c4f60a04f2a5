/**
 * The three real MAT files of McDonnell's 1-bit WRN-20-10 (shared/models), read end to end. Expected
 * values were printed by scipy.io.loadmat(..., mat_dtype=True) and pasted here as literals.
 */
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '@onebit/data';
import { columnMajorToRowMajor } from './column-major.js';
import { describeMat } from './describe.js';
import { findNumeric, findVariable } from './find-variable.js';
import { readMat } from './read-mat.js';
import type { MatFile, MatNumeric, MatValue } from './mat-types.js';

const load = (relative: string): MatFile => readMat(readFileSync(sharedPath(`models/mcdonnell-wrn20-10-cifar10/${relative}`)));
const sum = (v: MatValue) => {
  let total = 0;
  for (const x of (v as MatNumeric).data) total += Number(x);
  return total;
};
const first = (v: MatValue, n = 12) => [...(v as MatNumeric).data.subarray(0, n)].map(Number);
const widths = [160, 160, 160, 160, 160, 160, 160, 320, 320, 320, 320, 320, 320, 640, 640, 640, 640, 640, 640];

describe('MATLAB TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat', () => {
  const mat = load('matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat');

  it('has the header and variables scipy lists, in file order', () => {
    expect(mat.header).toBe('MATLAB 5.0 MAT-file, Platform: PCWIN64, Created on: Fri May  4 07:56:24 2018');
    expect(mat.littleEndian).toBe(true);
    expect([...mat.variables.keys()]).toEqual([
      'BNB', 'BNG', 'BinaryWeights', 'LayerTypes', 'LayerWeights', 'Moments', 'NumChannels', 'Padding',
      'PercentCorrectTest', 'Stride', 'Training', 'W',
    ]);
  });

  it('BinaryWeights: 20 logical H×W×Cin×Cout arrays with scipy\'s counts of ones', () => {
    const bw = findVariable(mat, 'BinaryWeights');
    if (bw.kind !== 'cell') throw new Error('BinaryWeights is not a cell');
    expect(bw.dims).toEqual([1, 20]);
    const cins = [3, ...widths];
    const couts = [...widths, 10];
    bw.cells.forEach((w, i) => {
      expect(w).toMatchObject({ kind: 'numeric', className: 'uint8', logical: true });
      expect(w.dims).toEqual(i === 19 ? [1, 1, 640, 10] : [3, 3, cins[i], couts[i]]);
    });
    expect(bw.cells.map(sum)).toEqual([
      2111, 108433, 103543, 108901, 105937, 112135, 113973, 221070, 438797, 436916, 453026, 452913, 441108, 908503,
      1782008, 1705471, 1619878, 1807931, 1591583, 3427,
    ]);
    expect(first(bw.cells[0]!)).toEqual([1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0]); // column-major, as stored
    expect([...columnMajorToRowMajor(bw.cells[0] as MatNumeric).data.subarray(0, 12)]).toEqual([1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1]);
    expect(first(bw.cells[19]!)).toEqual([1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('LayerWeights, Moments, BNG, BNB: single values equal to scipy\'s', () => {
    const lw = findNumeric(mat, 'LayerWeights');
    expect(lw).toMatchObject({ className: 'single', dims: [20, 1] });
    expect([...lw.data]).toEqual([
      0.27216553688049316, ...Array(7).fill(0.03726780042052269), ...Array(6).fill(0.02635231427848339),
      ...Array(5).fill(0.018633900210261345), 0.055901698768138885,
    ]);
    const moments = findVariable(mat, 'Moments');
    if (moments.kind !== 'cell') throw new Error('Moments is not a cell');
    expect(moments.cells.map((c) => c.dims)).toEqual([[3, 2], ...widths.map((w) => [w, 2]), [10, 2]]);
    expect(first(moments.cells[0]!)).toEqual([125.6246109008789, 123.4742660522461, 116.63517761230469, 65.42887878417969, 64.8031997680664, 68.2295150756836]);
    expect(first(moments.cells[20]!, 4)).toEqual([0.9592136144638062, -0.7406831979751587, 1.316614031791687, 1.8147543668746948]);
    const bng = findVariable(mat, 'BNG');
    const bnb = findVariable(mat, 'BNB');
    if (bng.kind !== 'cell' || bnb.kind !== 'cell') throw new Error('BNG/BNB are not cells');
    expect(first(bng.cells[0]!)).toEqual([0.7393872737884521, 0.7323355078697205, 0.6712422966957092]);
    expect(first(bnb.cells[0]!)).toEqual([1.4686384201049805, 1.4816288948059082, 1.1805161237716675]);
    expect(bnb.cells.map((c) => c.dims)).toEqual([[3, 1], ...widths.map((w) => [w, 1]), [10, 1]]);
  });

  it('double arrays stored as small integers, the LayerTypes strings and the Training struct', () => {
    expect(findNumeric(mat, 'NumChannels')).toEqual({ kind: 'numeric', className: 'double', logical: false, dims: [1, 21], data: Float64Array.of(3, ...widths, 10) });
    expect([...findNumeric(mat, 'Stride').data]).toEqual([1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1]);
    expect([...findNumeric(mat, 'Padding').data]).toEqual([...Array(19).fill(1), 0]);
    expect([...findNumeric(mat, 'W').data]).toEqual([...Array(19).fill(3), 1]);
    const pct = findNumeric(mat, 'PercentCorrectTest');
    expect(pct.dims).toEqual([1, 254]);
    expect(first(pct, 3)).toEqual([63.379999999999995, 73.4, 72.5]);
    expect([...pct.data.subarray(-3)]).toEqual([96.19, 96.17, 96.17999999999999]);
    const types = findVariable(mat, 'LayerTypes');
    if (types.kind !== 'cell') throw new Error('LayerTypes is not a cell');
    expect(types.cells.map((c) => (c.kind === 'char' ? c.text : '?'))).toEqual([
      'input', ...Array(10).fill(['brw', 'Residual_sum', 'brw']).flat(), 'brg',
    ]);
    const training = findVariable(mat, 'Training');
    if (training.kind !== 'struct') throw new Error('Training is not a struct');
    expect(Object.fromEntries([...training.elements[0]!].map(([k, v]) => [k, (v as MatNumeric).data[0]]))).toEqual({
      BatchSize: 125, InitialLearningRate: 0.1, FinalLearningRate: 1e-05, Momentum: 0.9, WeightDecay: 0.0005, Flips: 1,
      Crops: 1, Cutout: 1, UseSign: 1, ShiftMax: 4, PatchSize: 18, DoPlot: 1, ResNet: 1, DisplayIterationInterval: 10,
      PlotLossSmoothWindow: 10, LearningRate: 1e-05,
    });
  });

  it('describes every variable, cell and field', () => {
    const lines = describeMat(mat);
    expect(lines).toHaveLength(12 + 21 + 21 + 20 + 32 + 21 + 16);
    expect(lines.slice(0, 2)).toEqual(['BNB: cell 21×1', '  BNB{1}: single 3×1']);
    expect(lines).toContain('  BinaryWeights{20}: logical 1×1×640×10');
    expect(lines).toContain('  LayerTypes{3}: char 1×12 "Residual_sum"');
    expect(lines).toContain('  Training.BatchSize: double 1×1 = 125');
  });
});

describe('Keras CIFAR10_allparams.mat and CIFAR10_01weights.mat', () => {
  const all = load('keras/CIFAR10_allparams.mat');
  const bits = load('keras/CIFAR10_01weights.mat');
  const convNames = Array.from({ length: 20 }, (_, i) => (i === 0 ? 'conv2d' : `conv2d_${i}`));
  const bnNames = Array.from({ length: 21 }, (_, i) => `batch_normalization_v1_${84 + i}`);

  it('allparams alternates BN and conv arrays in layer order', () => {
    expect(all.header).toBe('MATLAB 5.0 MAT-file Platform: posix, Created on: Tue May 26 10:00:50 2020');
    expect([...all.variables.keys()]).toEqual([...convNames.flatMap((c, i) => [bnNames[i], c]), bnNames[20]]);
    expect(findNumeric(all, 'batch_normalization_v1_84')).toMatchObject({ className: 'single', dims: [4, 3] });
    expect([...findNumeric(all, 'batch_normalization_v1_84').data]).toEqual([
      0.6711244583129883, 0.24534554779529572, 125.66460418701172, 4285.92041015625, 0.6961081027984619, 0.22044140100479126,
      123.57371520996094, 4206.75244140625, 0.6139111518859863, 0.23616082966327667, 116.73035430908203, 4665.35986328125,
    ]);
    expect(bnNames.slice(1).map((n) => findNumeric(all, n).dims)).toEqual([...widths.map((w) => [2, w]), [2, 10]]);
    expect(first(findNumeric(all, 'batch_normalization_v1_104'), 4)).toEqual([1.2032233476638794, 6.703057289123535, -0.6732394695281982, 7.433121681213379]);
  });

  it('conv arrays are logical 1×H×W×Cin×Cout with scipy\'s sums, identical in both files', () => {
    expect(bits.header).toBe('MATLAB 5.0 MAT-file Platform: posix, Created on: Tue May 26 10:00:47 2020');
    expect([...bits.variables.keys()]).toEqual(convNames);
    const cins = [3, ...widths];
    const couts = [...widths, 10];
    convNames.forEach((name, i) => {
      const a = findNumeric(all, name);
      expect(a).toMatchObject({ className: 'uint8', logical: true, dims: i === 19 ? [1, 1, 1, 640, 10] : [1, 3, 3, cins[i], couts[i]] });
      const b = findNumeric(bits, name);
      expect(b.dims).toEqual(a.dims);
      // compared as bytes: a deep equal of millions of elements is far too slow
      expect(Buffer.compare(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength), Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength))).toBe(0);
    });
    expect(sum(findNumeric(all, 'conv2d'))).toBe(2121);
    expect(sum(findNumeric(all, 'conv2d_7'))).toBe(221124);
    expect(sum(findNumeric(all, 'conv2d_19'))).toBe(3420);
    expect(first(findNumeric(all, 'conv2d'))).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect([...columnMajorToRowMajor(findNumeric(all, 'conv2d')).data.subarray(0, 12)]).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0]);
  });
});
