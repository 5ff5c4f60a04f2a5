/**
 * Tests of replaceWithBinaryWeights on a small existing graph (Conv → Relu → Conv): the packed and
 * float variants give identical outputs in onnxruntime, equal to a hand-computed golden, other
 * nodes stay untouched, each decode chain sits before its consumer, and bad targets are named.
 */
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { ModelError, UnsupportedError, tensor } from '@onebit/core';
import { packSigns, type BinaryWeight } from '@onebit/bits';
import { GraphBuilder } from './graph-builder.js';
import { decodeModel, encodeModel } from './model-proto.js';
import { replaceWithBinaryWeights, defaultOpset } from './pack-model.js';
import type { OnnxModel } from './model.js';

/** x [1,1,3,3] → Conv a (1→2, 1×1) → Relu → Conv b (2→1, 3×3, 9·2 = 18 weights, not a multiple of 8 after 1) → y. */
function model(opset = 13): OnnxModel {
  const b = new GraphBuilder('tiny');
  b.input('x', 'float32', [1, 1, 3, 3]);
  b.initializer('a', tensor('float32', [2, 1, 1, 1], new Float32Array([0.3, -0.7])));
  b.initializer('b', tensor('float32', [1, 2, 3, 3], Float32Array.from({ length: 18 }, (_, i) => (i % 3 === 0 ? -0.1 : 0.2))));
  const h = b.node('Conv', ['x', 'a'], { kernel_shape: [1, 1] }, { name: 'conv_a' });
  const r = b.node('Relu', [h], {}, { name: 'relu' });
  const y = b.node('Conv', [r, 'b'], { kernel_shape: [3, 3] }, { name: 'conv_b' });
  b.output('y', 'float32', [1, 1, 1, 1], y);
  return b.build({ opset });
}

const X = new Float32Array([1, -2, 3, -4, 5, -6, 7, -8, 9]);

async function run(m: OnnxModel): Promise<number> {
  const session = await ort.InferenceSession.create(encodeModel(m));
  const out = await session.run({ x: new ort.Tensor('float32', X, [1, 1, 3, 3]) });
  await session.release();
  return (out['y']!.data as Float32Array)[0]!;
}

const weights = new Map<string, BinaryWeight>([
  ['a', { dims: [2, 1, 1, 1], bits: packSigns(new Float32Array([1, -1])), scale: new Float32Array([0.5, 2]) }],
  ['b', { dims: [1, 2, 3, 3], bits: packSigns(Float32Array.from({ length: 18 }, (_, i) => (i < 9 ? 1 : -1))), scale: 0.25 }],
]);

describe('replaceWithBinaryWeights', () => {
  it('gives the hand-computed output in both variants', async () => {
    // conv a: channel 0 = 0.5·x, channel 1 = −2·x; after Relu: 0.5·max(x,0) and 2·max(−x,0).
    // conv b: 0.25·Σ ch0 − 0.25·Σ ch1 = 0.25·0.5·(1+3+5+7+9) − 0.25·2·(2+4+6+8) = 3.125 − 10 = −6.875
    const packed = replaceWithBinaryWeights(model(), weights, 'packed');
    const float = replaceWithBinaryWeights(model(), weights, 'float');
    expect(await run(packed)).toBe(-6.875);
    expect(await run(float)).toBe(-6.875);
  });

  it('leaves the original nodes untouched and puts each decode chain right before its consumer', () => {
    const packed = replaceWithBinaryWeights(model(), weights, 'packed');
    const names = packed.graph.nodes.map((n) => n.name);
    expect(names).toEqual(['a.cast', 'a.gather', 'a.float', 'a.flatten', 'a.slice', 'a.reshape', 'a.mul', 'conv_a', 'relu', 'b.cast', 'b.gather', 'b.float', 'b.flatten', 'b.slice', 'b.reshape', 'b.mul', 'conv_b', 'Identity_3']);
    const orig = model().graph.nodes;
    for (const n of orig) expect(packed.graph.nodes.find((m) => m.name === n.name)).toEqual(n);
    expect(packed.graph.initializers.map((i) => i.name).sort()).toEqual(
      ['a.bits', 'a.scale', 'a.shape', 'a.slice_axes', 'a.slice_ends', 'a.slice_starts', 'b.bits', 'b.scale', 'b.shape', 'b.slice_axes', 'b.slice_ends', 'b.slice_starts', 'onebit.bit_table', 'onebit.flat_shape'],
    );
    // b = 18 signs: nine +1 then nine −1 → bits 0..8 set: ff 01 00
    expect(Array.from(packed.graph.initializers.find((i) => i.name === 'b.bits')!.tensor.data as Uint8Array)).toEqual([0xff, 0x01, 0x00]);
  });

  it('replaces float initializers in place with ±scale values', () => {
    const float = replaceWithBinaryWeights(model(), weights, 'float');
    expect(float.graph.nodes).toEqual(model().graph.nodes);
    expect(Array.from(float.graph.initializers[0]!.tensor.data as Float32Array)).toEqual([0.5, -2]);
    expect(float.graph.initializers.map((i) => i.name)).toEqual(['a', 'b']);
  });

  it('survives an encode/decode round trip and runs at opset 9 (Slice attributes)', async () => {
    const packed = decodeModel(encodeModel(replaceWithBinaryWeights(model(9), weights, 'packed')));
    expect(defaultOpset(packed)).toBe(9);
    expect(await run(packed)).toBe(-6.875);
  });

  it('removes a replaced initializer from the graph inputs (IR < 4 models list them there)', () => {
    const m = model();
    m.graph.inputs.push({ name: 'a', elemType: 'float32', dims: [2, 1, 1, 1] });
    expect(replaceWithBinaryWeights(m, weights, 'packed').graph.inputs.map((v) => v.name)).toEqual(['x']);
  });

  it('names a missing, non-float32 or wrongly shaped target', () => {
    const bad = (name: string, w: BinaryWeight) => () => replaceWithBinaryWeights(model(), new Map([[name, w]]));
    expect(bad('c', weights.get('a')!)).toThrow(new ModelError("The graph has no initializer named 'c' to replace with a binary weight.", 'c'));
    expect(bad('a', weights.get('b')!)).toThrow(new ModelError("Initializer 'a' has shape 2×1×1×1 but its binary weight has shape 1×2×3×3.", 'a'));
    const m = model();
    m.graph.initializers[0] = { name: 'a', tensor: tensor('float64', [2, 1, 1, 1], new Float64Array(2)) };
    expect(() => replaceWithBinaryWeights(m, new Map([['a', weights.get('a')!]]))).toThrow("Initializer 'a' is float64; only float32 initializers can be replaced by binary weights.");
  });

  it('refuses to reuse a name the graph already has', () => {
    const m = model();
    m.graph.initializers.push({ name: 'a.bits', tensor: tensor('float32', [1], new Float32Array(1)) });
    expect(() => replaceWithBinaryWeights(m, weights, 'packed')).toThrow("Packing needs the value name 'a.bits' but the graph already uses it.");
  });

  it('EXPECTED FAILURE: a model importing an opset outside 7–21 is refused with a typed error (fuzz: opset 0)', () => {
    const m = model();
    const bad = { ...m, opsetImports: [{ domain: '', version: 0 }] };
    expect(() => replaceWithBinaryWeights(bad, weights, 'packed')).toThrow(new UnsupportedError('the model imports default-domain opset 0; onebit writes binary weights into models of opset 7–21 only.'));
  });
});
