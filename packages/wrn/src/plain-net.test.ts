/**
 * Tests of readPlainNet on the authors' real plain 20-4 release (../shared): the layer list read
 * from the file (widths, strides, padding, classes, the stored LayerScales), and the ModelErrors for
 * copies with a layer's weights, a batch norm or a scale missing, each naming the variable.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { readMat, type MatFile, type MatValue } from '@onebit/mat';
import { isPlainNet, readPlainNet } from './plain-net.js';
import { readWrnFromMat } from './read-network.js';

const file = readMat(new Uint8Array(readFileSync(sharedPath('models/mcdonnell-plain20-4-cifar100/CIFAR100_20-4-Plain_644kB.mat'))));

/** `file` with variable `name` replaced by `value` (or removed when undefined). */
function edited(name: string, value: MatValue | undefined): MatFile {
  const variables = new Map(file.variables);
  if (value) variables.set(name, value);
  else variables.delete(name);
  return { ...file, variables };
}
const cellsOf = (name: string) => {
  const v = file.variables.get(name)!;
  if (v.kind !== 'cell') throw new Error(`${name} is not a cell array`);
  return v;
};

describe('readPlainNet on CIFAR100_20-4-Plain_644kB.mat', () => {
  const net = readPlainNet(file);
  const convs = net.layers.flatMap((l) => (l.op === 'conv' ? [l] : []));

  it('reads 20 convs whose widths, strides and padding come from the file, and 100 classes', () => {
    expect(isPlainNet(file)).toBe(true);
    expect(readWrnFromMat(file).family).toBe('mcdonnell-plain-cnn');
    expect(convs.map((c) => c.weight.dims[0])).toEqual([...Array(7).fill(64), ...Array(6).fill(128), ...Array(6).fill(256), 100]);
    expect(convs.map((c) => c.strides[0])).toEqual([1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1]);
    expect(convs.map((c) => c.pads[0])).toEqual([...Array(19).fill(1), 0]);
    expect(convs[19]!.weight.dims).toEqual([100, 256, 1, 1]);
    expect(convs.reduce((n, c) => n + c.weight.dims.reduce((a, b) => a * b, 1), 0)).toBe(4_303_552);
    expect([net.numClasses, net.inputShape, net.preprocess]).toEqual([100, [3, 32, 32], 'raw255']);
    // 21 batch norms around 20 convs, then the spatial sum
    expect(net.layers.map((l) => l.op).join(' ')).toBe(`${'batchnorm conv '.repeat(20)}batchnorm global-pool`);
    expect(net.layers.at(-1)).toEqual({ op: 'global-pool', reduce: 'sum' });
  });

  it('uses the stored LayerScales, not the he rule', () => {
    const stored = file.variables.get('LayerScales')!;
    if (stored.kind !== 'numeric') throw new Error('LayerScales is not numeric');
    expect(convs.map((c) => c.weight.scale)).toEqual(Array.from(stored.data as Float32Array));
    expect(convs[0]!.weight.scale).not.toBe(Math.fround(Math.sqrt(2 / 27)));
    expect(net.scale).toBe("the file's stored LayerScales (not the he rule), times the next batch norm's γ/σ per output channel");
  });

  it('EXPECTED FAILURE: a copy missing one layer of weights, a batch norm or the scales names the variable', () => {
    const w = cellsOf('BooleanSingleBitWeights');
    expect(() => readPlainNet(edited('BooleanSingleBitWeights', { ...w, dims: [1, 19], cells: w.cells.slice(0, 19) }))).toThrow(
      new ModelError("'BooleanSingleBitWeights' has 19 entries but 'LayerScales' describes 20 conv layers.", 'BooleanSingleBitWeights'),
    );
    const emptied = w.cells.map((c, i) => (i === 6 && c.kind === 'numeric' ? { ...c, dims: [0, 0], data: new Uint8Array(0) } : c));
    expect(() => readPlainNet(edited('BooleanSingleBitWeights', { ...w, cells: emptied }))).toThrow("BooleanSingleBitWeights{7} is empty; expected the layer's 0/1 weight bits.");
    const m = cellsOf('BN_Moments');
    expect(() => readPlainNet(edited('BN_Moments', { ...m, dims: [1, 20], cells: m.cells.slice(0, 20) }))).toThrow("'BN_Moments' has 20 entries but 20 conv layers need 21 batch norms.");
    expect(() => readPlainNet(edited('LayerScales', undefined))).toThrow(/^The MAT file has no variable 'LayerScales' \(it has: .*\)\.$/);
    const swapped = w.cells.map((c, i) => (i === 8 ? w.cells[14]! : c));
    expect(() => readPlainNet(edited('BooleanSingleBitWeights', { ...w, cells: swapped }))).toThrow('BooleanSingleBitWeights{9} expects 256 input channels but layer 8 produces 128.');
  });
});
