/**
 * Tests of binarizeOnnxModel on a small real graph (Conv → Relu → Conv → Flatten → Gemm, 3 weights):
 * policy and scale rules reach the right tensors, already-binary weights are packed losslessly
 * with their own scale, untouched nodes stay identical, and the packed and float variants give
 * bit-identical outputs in onnxruntime.
 */
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { DTYPE_BYTES, tensor } from '@onebit/core';
import { GraphBuilder, encodeModel, type OnnxModel } from '@onebit/onnx';
import { binarizeOnnxModel } from './binarize-model.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
}

/** x [1,2,5,5] → Conv c1 (2→4, 3×3, pad 1) → Relu → Conv c2 (4→3, 3×3) → Flatten → Gemm fc (27→5, transB=1). */
function model(c2Values?: Float32Array): OnnxModel {
  const r = lcg(7);
  const b = new GraphBuilder('small');
  b.input('x', 'float32', [1, 2, 5, 5]);
  b.initializer('c1.weight', tensor('float32', [4, 2, 3, 3], Float32Array.from({ length: 72 }, r)));
  b.initializer('c2.weight', tensor('float32', [3, 4, 3, 3], c2Values ?? Float32Array.from({ length: 108 }, r)));
  b.initializer('fc.weight', tensor('float32', [5, 27], Float32Array.from({ length: 135 }, r)));
  b.initializer('fc.bias', tensor('float32', [5], new Float32Array([0.1, 0.2, 0.3, 0.4, 0.5])));
  const h = b.node('Conv', ['x', 'c1.weight'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { name: 'c1' });
  const a = b.node('Relu', [h], {}, { name: 'relu' });
  const c = b.node('Conv', [a, 'c2.weight'], { kernel_shape: [3, 3] }, { name: 'c2' });
  const f = b.node('Flatten', [c], { axis: 1 }, { name: 'flatten' });
  const y = b.node('Gemm', [f, 'fc.weight', 'fc.bias'], { transB: 1 }, { name: 'fc' });
  b.output('y', 'float32', [1, 5], y);
  return b.build({ opset: 13 });
}

/** Upper bound on the encoded size of one weight's decode chain (node and value names, shape, scale, slice bounds). */
const DECODE_CHAIN_BYTES = 800;

const X = Float32Array.from({ length: 50 }, lcg(3));
async function run(m: OnnxModel): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(encodeModel(m));
  const out = await s.run({ x: new ort.Tensor('float32', X, [1, 2, 5, 5]) });
  await s.release();
  return out['y']!.data as Float32Array;
}
const initOf = (m: OnnxModel, name: string) => m.graph.initializers.find((i) => i.name === name)?.tensor.data as Float32Array;

describe('binarizeOnnxModel', () => {
  it('binarizes the Conv weights with the he scale and leaves Gemm float by default', () => {
    const { model: out, report } = binarizeOnnxModel(model(), { weights: 'float' });
    expect(report.layers.map((l) => [l.name, l.action, l.rule])).toEqual([
      ['c1.weight', 'binarized', 'default'],
      ['c2.weight', 'binarized', 'default'],
      ['fc.weight', 'kept', 'Gemm weights are binarized only with --include-gemm or a --binarize rule'],
    ]);
    expect(report.layers[0]!.scale).toBe(Math.sqrt(2 / 18));
    expect(report.layers[1]!.scale).toBe(Math.sqrt(2 / 36));
    const s = Math.fround(Math.sqrt(2 / 18));
    const src = initOf(model(), 'c1.weight');
    expect(Array.from(initOf(out, 'c1.weight'))).toEqual(Array.from(src, (v) => (v < 0 ? -s : s)));
    expect(initOf(out, 'fc.weight')).toEqual(initOf(model(), 'fc.weight'));
    expect(out.graph.nodes).toEqual(model().graph.nodes);
    expect(report.binaryWeights).toBe(72 + 108);
  });

  it('includes Gemm weights with includeGemm and honours keep-first/keep-last', () => {
    const { report } = binarizeOnnxModel(model(), { includeGemm: true, policy: { keepFirst: true, keepLast: true } });
    expect(report.layers.map((l) => `${l.name}:${l.action}:${l.rule}`)).toEqual(['c1.weight:kept:--keep-first', 'c2.weight:binarized:default', 'fc.weight:kept:--keep-last']);
    const all = binarizeOnnxModel(model(), { includeGemm: true, scale: 'mean-abs' }).report;
    expect(all.layers[2]!.opType).toBe('Gemm');
    expect((all.layers[2]!.scale as number[]).length).toBe(5);
  });

  it('warns that uniform random weights were not trained for 1 bit', () => {
    const { report } = binarizeOnnxModel(model());
    // U(−1, 1) weights: ‖w − a·sign w‖/‖w‖ = 0.5 in expectation
    expect(report.warning?.kind).toBe('not-trained-for-1-bit');
    expect(report.warning!.meanDistance).toBeGreaterThan(0.45);
    expect(report.warning!.meanDistance).toBeLessThan(0.55);
  });

  it('packs an already-binary weight losslessly with its own per-channel scale, and does not warn', async () => {
    const signs = Float32Array.from({ length: 108 }, lcg(11));
    const scales = [0.5, 0.0625, 3];
    const values = signs.map((v, k) => (v < 0 ? -1 : 1) * scales[Math.floor(k / 36)]!);
    const src = model(values);
    const { model: packed, report } = binarizeOnnxModel(src, { scale: 0.001, policy: { keepFirst: true } });
    expect(report.layers[1]).toMatchObject({ name: 'c2.weight', action: 'already-binary', rule: 'default; already ±a', scale: scales });
    expect(report.warning).toBeUndefined();
    expect(packed.graph.initializers.some((i) => i.name === 'c2.weight')).toBe(false);
    // lossless: the packed model computes exactly what the original float model computes
    expect(await run(packed)).toEqual(await run(src));
  });

  it('gives bit-identical outputs for the packed and float variants in onnxruntime', async () => {
    for (const scale of ['he', 'mean-abs', 0.3] as const) {
      const packed = binarizeOnnxModel(model(), { scale, includeGemm: true, weights: 'packed' }).model;
      const float = binarizeOnnxModel(model(), { scale, includeGemm: true, weights: 'float' }).model;
      const a = await run(packed);
      expect(a).toEqual(await run(float));
      expect(a.length).toBe(5);
      expect(a).not.toEqual(await run(model()));
    }
  });

  it('stores 1 bit per binarized weight, plus the shared bit table and a small decode chain', () => {
    const floatModel = binarizeOnnxModel(model(), { includeGemm: true, weights: 'float' }).model;
    const packedModel = binarizeOnnxModel(model(), { includeGemm: true, weights: 'packed' }).model;
    const bits = packedModel.graph.initializers.filter((i) => i.name.endsWith('.bits'));
    // ⌈72/8⌉ + ⌈108/8⌉ + ⌈135/8⌉ bytes instead of 315 float32 values (1260 bytes)
    expect(bits.map((i) => i.tensor.data.length)).toEqual([9, 14, 17]);
    const table = packedModel.graph.initializers.find((i) => i.name === 'onebit.bit_table')!.tensor;
    const tableBytes = table.data.length * DTYPE_BYTES[table.dtype];
    // what is left once the float weights are swapped for their bits and the table is paid: the decode chains
    const chains = encodeModel(packedModel).length - tableBytes - (encodeModel(floatModel).length - 1260 + 40);
    expect(chains).toBeGreaterThan(0);
    expect(chains).toBeLessThan(3 * DECODE_CHAIN_BYTES);
  });
});
