/**
 * Tests of the MATLAB and Keras WRN readers: the layer list they produce for small networks of
 * any depth, width and class count, the hand-checked arithmetic of the reference forward pass,
 * and the errors for files that are not (complete) WRN releases.
 */
import { describe, expect, it } from 'vitest';
import type { MatFile } from '@onebit/mat';
import { forwardReference } from './forward.js';
import { readKerasWrn } from './keras-wrn.js';
import { readMatlabWrn } from './matlab-wrn.js';
import { countWeights, type WrnNetwork } from './network.js';
import { readWrnFromMat } from './read-network.js';
import { tinyKerasWrn, tinyMatlabWrn } from './tiny-mat.fixture.js';

const ops = (net: WrnNetwork) => net.layers.map((l) => (l.op === 'conv' ? `conv${l.strides[0]}` : l.op === 'batchnorm' ? (l.relu ? 'bnr' : 'bn') : l.op === 'add-residual' ? (l.pool ? 'add-pool' : 'add') : l.op === 'global-pool' ? l.reduce : 'save'));

describe('readMatlabWrn', () => {
  it('reads depth, widths, strides and classes from the file (a 14-layer, 100-class net)', () => {
    const net = readMatlabWrn(tinyMatlabWrn({ width: 4, blocksPerStage: 2, classes: 100, seed: 1 }));
    expect(net.numClasses).toBe(100);
    expect(countWeights(net)).toEqual({ convs: 14, weights: 9 * 3 * 4 + 4 * (9 * 4 * 4) + 9 * 4 * 8 + 3 * (9 * 8 * 8) + 9 * 8 * 16 + 3 * (9 * 16 * 16) + 16 * 100 });
    expect(ops(net).join(' ')).toBe(
      'bnr conv1 save ' +
        'bnr conv1 bnr conv1 add bnr conv1 bnr conv1 add ' +
        'bnr conv2 bnr conv1 add-pool bnr conv1 bnr conv1 add ' +
        'bnr conv2 bnr conv1 add-pool bnr conv1 bnr conv1 add ' +
        'bnr conv1 bn sum',
    );
    const pooled = net.layers.find((l) => l.op === 'add-residual' && l.pool);
    expect(pooled).toEqual({ op: 'add-residual', zeroChannels: 4, pool: { kernel: 3, stride: 2, pads: [1, 1, 1, 1] } });
    const bn = net.layers[0]!;
    expect(bn.op === 'batchnorm' && bn.epsilon).toBe(0);
  });

  it('uses sigma² as the variance so BN computes (x − mean) / sigma with no epsilon', () => {
    const net = readMatlabWrn(tinyMatlabWrn({ width: 2, blocksPerStage: 1, classes: 3, seed: 2 }));
    const bn = net.layers.find((l) => l.op === 'batchnorm' && l.name === 'bn2');
    if (bn?.op !== 'batchnorm') throw new Error('bn2 missing');
    const mat = tinyMatlabWrn({ width: 2, blocksPerStage: 1, classes: 3, seed: 2 });
    const moments = mat.variables.get('Moments');
    if (moments?.kind !== 'cell' || moments.cells[1]?.kind !== 'numeric') throw new Error('bad fixture');
    const m = moments.cells[1].data as Float32Array;
    expect(Array.from(bn.mean)).toEqual([m[0], m[1]]);
    expect(Array.from(bn.variance)).toEqual([Math.fround(m[2]! * m[2]!), Math.fround(m[3]! * m[3]!)]);
  });

  it('refuses a file whose BN count does not match the conv count', () => {
    const mat = tinyMatlabWrn({ width: 2, blocksPerStage: 1, classes: 3, seed: 3 });
    const bnb = mat.variables.get('BNB');
    if (bnb?.kind !== 'cell') throw new Error('bad fixture');
    const broken: MatFile = { ...mat, variables: new Map([...mat.variables, ['BNB', { ...bnb, cells: bnb.cells.slice(1) }]]) };
    expect(() => readMatlabWrn(broken)).toThrow("'BNB' has 8 entries but 8 conv layers need 9 batch norms.");
  });
});

describe('readKerasWrn', () => {
  it('reads a Keras-release net: affine first BN without ReLU, TF same padding, spatial mean', () => {
    const net = readKerasWrn(tinyKerasWrn({ width: 4, blocksPerStage: 1, classes: 10, seed: 4 }));
    expect(ops(net).join(' ')).toBe('bn conv1 save bnr conv1 bnr conv1 add bnr conv2 bnr conv1 add-pool bnr conv2 bnr conv1 add-pool bnr conv1 bn mean');
    const strided = net.layers.find((l) => l.op === 'conv' && l.strides[0] === 2);
    expect(strided?.op === 'conv' && strided.pads).toEqual([0, 0, 1, 1]);
    const pooled = net.layers.find((l) => l.op === 'add-residual' && l.pool);
    expect(pooled).toEqual({ op: 'add-residual', zeroChannels: 4, pool: { kernel: 3, stride: 2, pads: [0, 0, 1, 1] } });
    const first = net.layers[0]!;
    expect(first.op === 'batchnorm' && [first.epsilon, first.relu]).toEqual([1e-5, false]);
  });

  it('says which file to use when only the conv bits are present', () => {
    expect(() => readWrnFromMat(tinyKerasWrn({ width: 2, blocksPerStage: 1, classes: 10, seed: 5, withBatchNorm: false }), 'CIFAR10_01weights.mat')).toThrow(
      'CIFAR10_01weights.mat holds only the 8 conv bit arrays and no batch-norm statistics; convert the matching *_allparams.mat (e.g. CIFAR10_allparams.mat from the same release) instead.',
    );
  });
});

describe('readWrnFromMat', () => {
  it('names the variables of a MAT file that is not a WRN release', () => {
    const mat: MatFile = { header: 'x', version: 256, littleEndian: true, variables: new Map([['foo', { kind: 'char', dims: [1, 1], text: 'a' }]]) };
    expect(() => readWrnFromMat(mat, 'other.mat')).toThrow("other.mat is a MAT file but not one of the authors' releases: it has variables foo, and neither BinaryWeights/Moments (MATLAB) nor conv2d*/batch_normalization* (Keras), nor BooleanSingleBitWeights (the plain net).");
  });
});

describe('forwardReference', () => {
  it('computes a hand-checked 1×1 network: BN → ReLU → conv → residual → BN → sum', () => {
    // Input 1 channel 1×2: [2, −4]. BN1 (mean 0, var 1, scale 1, bias 1, ReLU): [3, 0].
    // conv 1×1 1→1 weight +0.5: [1.5, 0]. save. BN2 (mean 1, var 4 → /2, ReLU): [0.25, 0]. conv −0.5: [−0.125, 0].
    // add residual: [1.375, 0]. BN3 (mean 0, var 1, no ReLU): [1.375, 0]. sum: 1.375.
    const w = (sign: number) => ({ dims: [1, 1, 1, 1], bits: new Uint8Array([sign > 0 ? 1 : 0]), scale: 0.5 });
    const bn = (name: string, mean: number, variance: number, bias: number, relu: boolean) => ({
      op: 'batchnorm' as const, name, mean: new Float32Array([mean]), variance: new Float32Array([variance]), scale: new Float32Array([1]), bias: new Float32Array([bias]), epsilon: 0, relu,
    });
    const net: WrnNetwork = {
      family: 'mcdonnell-matlab-wrn', inputShape: [1, 1, 2], numClasses: 1, preprocess: 'raw255', notes: {},
      layers: [
        bn('bn1', 0, 1, 1, true), { op: 'conv', name: 'c1', weight: w(1), strides: [1, 1], pads: [0, 0, 0, 0] }, { op: 'save-residual' },
        bn('bn2', 1, 4, 0, true), { op: 'conv', name: 'c2', weight: w(-1), strides: [1, 1], pads: [0, 0, 0, 0] }, { op: 'add-residual', zeroChannels: 0 },
        bn('bn3', 0, 1, 0, false), { op: 'global-pool', reduce: 'sum' },
      ],
    };
    expect(Array.from(forwardReference(net, new Float32Array([2, -4])))).toEqual([1.375]);
  });
});
