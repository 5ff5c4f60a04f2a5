/**
 * The binary-wide-resnet reader on synthetic state_dicts: the family is told from its key names,
 * depth/width/classes from the shapes, np.packbits (MSB first, along input channels) is decoded on a
 * hand-worked example, latent and packed weights of the same signs give the same bits, and every
 * missing, mis-shaped, mistyped or unexpected tensor is one ModelError naming its key.
 */
import { describe, expect, it } from 'vitest';
import { expandBinaryWeight } from '@onebit/binarize';
import { ModelError, tensor, type Tensor } from '@onebit/core';
import { isBinaryWideResnet, readBinaryWideResnet } from './binary-wide-resnet.js';
import { binaryWideResnetToOnnx } from './binary-wide-resnet-onnx.js';

/** Deterministic values in (−1, 1) that are never 0. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s >>> 8) / 2 ** 24) * 2 - 1 || 0.5;
  }
  return out;
}

/** np.packbits(w >= 0, axis=1) of a [o, c, kh, kw] float weight. */
function packbitsAxis1(w: Float32Array, dims: readonly number[]): Uint8Array {
  const [o, c, kh, kw] = dims as [number, number, number, number];
  const rb = Math.ceil(c / 8);
  const out = new Uint8Array(o * rb * kh * kw);
  for (let i = 0; i < o; i++) for (let j = 0; j < c; j++) for (let p = 0; p < kh * kw; p++) {
    if (w[(i * c + j) * kh * kw + p]! >= 0) out[(i * rb + (j >> 3)) * kh * kw + p]! |= 0x80 >> (j & 7);
  }
  return out;
}

/** The state_dict of WRN_McDonnell(depth, width, classes) wrapped in DataParallel. */
function stateDict(depth: number, width: number, classes: number, packed = false): Map<string, Tensor> {
  const m = new Map<string, Tensor>();
  let seed = 1;
  const f = (name: string, dims: number[], positive = false) => {
    const v = values(dims.reduce((a, b) => a * b, 1), seed++);
    if (positive) for (let i = 0; i < v.length; i++) v[i] = 0.5 + Math.abs(v[i]!);
    m.set(`module.${name}`, tensor('float32', dims, v));
  };
  const bn = (name: string, c: number, affine = false) => {
    if (affine) { f(`${name}.weight`, [c], true); f(`${name}.bias`, [c]); }
    f(`${name}.running_mean`, [c]);
    f(`${name}.running_var`, [c], true);
    m.set(`module.${name}.num_batches_tracked`, tensor('int64', [], new BigInt64Array([20n])));
  };
  const conv = (name: string, dims: number[]) => {
    const v = values(dims.reduce((a, b) => a * b, 1), seed++);
    m.set(`module.${name}`, packed ? tensor('uint8', [dims[0]!, Math.ceil(dims[1]! / 8), 3, 3], packbitsAxis1(v, dims)) : tensor('float32', dims, v));
  };
  const ch = [16, 32, 64].map((c) => c * width);
  f('conv0', [ch[0]!, 3, 3, 3]);
  f('conv_last', [classes, ch[2]!, 1, 1]);
  for (let g = 0; g < 3; g++) for (let i = 0; i < (depth - 2) / 6; i++) {
    const c = ch[g]!;
    const cin = g > 0 && i === 0 ? c / 2 : c;
    conv(`group${g}.block${i}.conv0`, [c, cin, 3, 3]);
    conv(`group${g}.block${i}.conv1`, [c, c, 3, 3]);
    bn(`group${g}.block${i}.bn0`, cin);
    bn(`group${g}.block${i}.bn1`, c);
  }
  bn('bn', ch[2]!);
  bn('bn_last', classes, true);
  return m;
}

const error = (f: () => unknown): ModelError => {
  try {
    f();
  } catch (e) {
    if (e instanceof ModelError) return e;
    throw e;
  }
  throw new Error('no ModelError was thrown');
};

describe('binary-wide-resnet state_dicts', () => {
  it('are told by their bare block-conv parameters, with or without module.', () => {
    expect(isBinaryWideResnet(stateDict(8, 0.5, 10).keys())).toBe(true);
    expect(isBinaryWideResnet(['group0.block0.conv1', 'conv0'])).toBe(true);
    expect(isBinaryWideResnet(['module.layer1.0.conv1.weight', 'module.conv1.weight', 'module.fc.weight'])).toBe(false);
    expect(isBinaryWideResnet(['group0.block0.conv0.weight'])).toBe(false);
  });

  it('give depth, width, classes and channels from the shapes', () => {
    const net = readBinaryWideResnet(stateDict(20, 1, 100), 'wrn.pth.tar');
    expect([net.depth, net.width, net.numClasses, net.channels, net.blocks.length, net.prefix, net.stored]).toEqual([20, 1, 100, [16, 32, 64], 9, 'module.', 'latent']);
    expect(net.blocks.map((b) => [b.name, b.downsample, b.conv0.stride, b.conv0.weight.dims[1]])).toEqual([
      ['group0.block0', false, 1, 16], ['group0.block1', false, 1, 16], ['group0.block2', false, 1, 16],
      ['group1.block0', true, 2, 16], ['group1.block1', false, 1, 32], ['group1.block2', false, 1, 32],
      ['group2.block0', true, 2, 32], ['group2.block1', false, 1, 64], ['group2.block2', false, 1, 64],
    ]);
    expect(net.bnLast.epsilon).toBe(1e-5);
    expect(net.bn.relu && !net.bnLast.relu).toBe(true);
  });

  it('decode np.packbits along input channels, most significant bit first (hand-worked)', () => {
    // width 0.75: group0 convs are [12, 12, 3, 3], packed as [12, 2, 3, 3]. Output channel 0,
    // kernel position 0: byte 0 = 0x80 → channel 0 is +1, channels 1–7 are −1; byte 1 = 0x10 →
    // bits 8..15 = 0,0,0,1,(0,0,0,0 padding) → channel 11 is +1, channels 8–10 are −1.
    const sd = stateDict(8, 0.75, 10, true);
    const bytes = new Uint8Array(12 * 2 * 9);
    bytes[0] = 0x80; // [o=0, byte 0, p=0]
    bytes[9] = 0x10; // [o=0, byte 1, p=0]
    sd.set('module.group0.block0.conv0', tensor('uint8', [12, 2, 3, 3], bytes));
    const conv = readBinaryWideResnet(sd).blocks[0]!.conv0;
    const s = Math.sqrt(2 / (12 * 9));
    expect(conv.stored).toBe('packed');
    expect(conv.weight.scale).toBe(s);
    const w = expandBinaryWeight(conv.weight);
    expect(Array.from({ length: 12 }, (_, c) => w[c * 9]! / Math.fround(s))).toEqual([1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1]);
    // onebit's own bits: element k = (o·12 + c)·9 + p, LSB first; set elements 0 and 99 only
    expect(conv.weight.bits[0]).toBe(0x01);
    expect(conv.weight.bits[12]).toBe(0x08);
    expect(conv.weight.bits.reduce((a, b) => a + b, 0)).toBe(0x01 + 0x08);
  });

  it('give the same bits from latent weights and from their packed release; latent zeros are counted and become +1', () => {
    const latent = stateDict(8, 0.75, 10);
    const w = latent.get('module.group1.block0.conv0')!.data as Float32Array;
    w[0] = 0;
    w[5] = -0;
    const packed = stateDict(8, 0.75, 10, true);
    packed.set('module.group1.block0.conv0', tensor('uint8', [24, 2, 3, 3], packbitsAxis1(w, [24, 12, 3, 3])));
    const a = readBinaryWideResnet(latent);
    const b = readBinaryWideResnet(packed);
    expect([a.stored, a.latentZeros, b.stored, b.latentZeros]).toEqual(['latent', 2, 'packed', 0]);
    expect(a.blocks[1]!.conv0.latentZeros).toBe(2);
    for (let i = 0; i < a.blocks.length; i++) {
      expect(b.blocks[i]!.conv0.weight).toEqual(a.blocks[i]!.conv0.weight);
      expect(b.blocks[i]!.conv1.weight).toEqual(a.blocks[i]!.conv1.weight);
    }
    expect(expandBinaryWeight(a.blocks[1]!.conv0.weight)[5]).toBeGreaterThan(0);
  });

  it('name the key of a missing, mis-shaped, mistyped or unexpected tensor in one sentence', () => {
    const cases: [string, (m: Map<string, Tensor>) => void, string][] = [
      ['missing', (m) => m.delete('module.group1.block0.bn1.running_var'),
        "x.pth.tar is a binary-wide-resnet checkpoint without tensor 'module.group1.block0.bn1.running_var' (batch-norm running variance, float [16])."],
      ['mis-shaped', (m) => m.set('module.group2.block0.conv1', tensor('float32', [31, 32, 3, 3], values(31 * 32 * 9, 3))),
        "x.pth.tar: tensor 'module.group2.block0.conv1' has shape [31, 32, 3, 3], but a binary-wide-resnet of depth 8, width 0.5 (8/16/32 channels) and 10 classes needs [32, 32, 3, 3] (latent block-conv weights)."],
      ['mis-shaped packed', (m) => m.set('module.group0.block0.conv1', tensor('uint8', [8, 2, 3, 3], new Uint8Array(144))),
        "x.pth.tar: tensor 'module.group0.block0.conv1' has shape [8, 2, 3, 3], but a binary-wide-resnet of depth 8, width 0.5 (8/16/32 channels) and 10 classes needs [8, 1, 3, 3] (np.packbits of 8 input channels along axis 1)."],
      ['mistyped', (m) => m.set('module.group0.block0.conv0', tensor('int32', [8, 8, 3, 3], new Int32Array(576))),
        "x.pth.tar: tensor 'module.group0.block0.conv0' has dtype int32; a block conv is float (latent weights) or uint8 (np.packbits)."],
      ['unexpected', (m) => m.set('module.fc.weight', tensor('float32', [10, 32], values(320, 9))),
        "x.pth.tar: tensor 'module.fc.weight' is not part of a binary-wide-resnet of depth 8, width 0.5 (8/16/32 channels) and 10 classes; onebit does not drop tensors it does not understand."],
      ['bn_last without affine weight', (m) => m.delete('module.bn_last.weight'),
        "x.pth.tar is a binary-wide-resnet checkpoint without tensor 'module.bn_last.weight' (batch-norm weight, float [10])."],
    ];
    for (const [, change, message] of cases) {
      const m = stateDict(8, 0.5, 10);
      change(m);
      const e = error(() => readBinaryWideResnet(m, 'x.pth.tar'));
      expect(e.message).toBe(message);
      expect(message).toContain(`'${e.tensorName}'`);
    }
  });

  it('refuse a set padding bit of np.packbits', () => {
    const sd = stateDict(8, 0.75, 10, true);
    const bytes = new Uint8Array(12 * 2 * 9);
    bytes[9 + 2] = 0x08; // [o=0, byte 1, p=2]: bit 4 from the MSB = input channel 12 of 12
    sd.set('module.group0.block0.conv1', tensor('uint8', [12, 2, 3, 3], bytes));
    expect(error(() => readBinaryWideResnet(sd, 'p.pth.tar')).message).toBe(
      "p.pth.tar: tensor 'module.group0.block0.conv1' has a set padding bit (output channel 0, input channel 12 of 12); np.packbits pads with zeros.",
    );
  });

  it('emit a graph whose initializers are the block convs (binary) and conv0/conv_last (float), with cifar-wrn metadata', () => {
    const { source, binaryWeights } = binaryWideResnetToOnnx(readBinaryWideResnet(stateDict(8, 0.5, 10)));
    expect([...binaryWeights.keys()]).toEqual([
      'group0.block0.conv0.weight', 'group0.block0.conv1.weight', 'group1.block0.conv0.weight',
      'group1.block0.conv1.weight', 'group2.block0.conv0.weight', 'group2.block0.conv1.weight',
    ]);
    expect(source.metadata).toEqual({ 'onebit.family': 'binary-wide-resnet', 'onebit.preprocess': 'cifar-wrn', 'onebit.notes': '{"depth":8,"width":0.5,"classes":10}' });
    const pool = source.graph.nodes.find((n) => n.opType === 'AveragePool')!;
    expect(pool.attributes['count_include_pad']).toEqual({ type: 'int', value: 1 });
    expect(source.graph.nodes.filter((n) => n.opType === 'Conv').map((n) => n.inputs[1])).toEqual(['conv0.weight', ...binaryWeights.keys(), 'conv_last.weight']);
    expect(source.graph.outputs[0]!.dims).toEqual(['N', 10]);
  });
});
