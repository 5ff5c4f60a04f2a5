/**
 * Tests of the stacked packed layout (`onebit.packing = stacked`): a model of six weights — two of
 * one shape and scalar scale (equal split), three with the same trailing dims but different output
 * channels (split by sizes), per-channel and per-tensor scales — and one of a single weight whose
 * 135 elements are not whole bytes (Slice) — decodes in onnxruntime to exactly its float-weight twin at opsets 11, 13 and 18 (the three Split
 * forms); it lifts back to the same weights, and packing the lifted model again gives the same
 * bytes; a tampered layout is not lifted; an unknown `onebit.packing` is refused.
 */
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { ModelError, tensor } from '@onebit/core';
import { packSigns, type BinaryWeight } from '@onebit/bits';
import { GraphBuilder } from './graph-builder.js';
import { liftBinaryWeights } from './lift-binary-weights.js';
import { decodeModel, encodeModel } from './model-proto.js';
import type { OnnxModel } from './model.js';
import { replaceWithBinaryWeights } from './pack-model.js';
import { findStackedBinaryWeights, PACKING_METADATA_KEY, STACKED_PACKING } from './stacked-binary-weights.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

function weight(dims: number[], scale: number | Float32Array, seed: number): BinaryWeight {
  const r = lcg(seed);
  return { dims, bits: packSigns(Float32Array.from({ length: dims.reduce((a, d) => a * d, 1) }, () => (r() >= 0 ? 1 : -1))), scale };
}

/**
 * Six convs in a chain whose weights are named w1…w6 (declared first, contiguous): groups [w1],
 * [w2, w3, w4] (trailing dims 4×3×3; 4, 4 and 8 output channels: split by sizes) and [w5, w6]
 * (8×8×1×1 with one scalar scale: an equal split).
 */
const WEIGHTS = new Map<string, BinaryWeight>([
  ['w1', weight([4, 2, 3, 3], new Float32Array([0.5, 2, 0.25, 1]), 1)],
  ['w2', weight([4, 4, 3, 3], new Float32Array([1, 0.5, 0.75, 3]), 2)],
  ['w3', weight([4, 4, 3, 3], new Float32Array([0.1, 0.2, 0.3, 0.4]), 3)],
  ['w4', weight([8, 4, 3, 3], Float32Array.from({ length: 8 }, (_, i) => 0.05 * (i + 1)), 4)],
  ['w5', weight([8, 8, 1, 1], 0.125, 5)],
  ['w6', weight([8, 8, 1, 1], 0.125, 6)],
]);
const ODD = new Map<string, BinaryWeight>([['w1', weight([5, 3, 3, 3], 0.25, 6)]]); // 135 elements

function model(weights: ReadonlyMap<string, BinaryWeight>, opset: number): OnnxModel {
  const b = new GraphBuilder('stacked-test');
  const first = [...weights.values()][0]!;
  b.input('x', 'float32', [1, first.dims[1]!, 6, 6]);
  for (const [name, w] of weights) b.binaryWeightSlot(name, w.dims);
  let x = 'x';
  for (const [name, w] of weights) {
    x = b.node('Conv', [x, name], { pads: w.dims[2] === 3 ? [1, 1, 1, 1] : [0, 0, 0, 0] }, { name: `conv_${name}` });
    x = b.node('Relu', [x], {}, { name: `relu_${name}` });
  }
  b.output('y', 'float32', [1, [...weights.values()].at(-1)!.dims[0]!, 6, 6], x);
  return b.build({ opset, metadata: { [PACKING_METADATA_KEY]: STACKED_PACKING } });
}

async function run(m: OnnxModel, channels: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(encodeModel(m));
  try {
    const r = lcg(42);
    const x = Float32Array.from({ length: channels * 36 }, () => r());
    const out = await session.run({ x: new ort.Tensor('float32', x, [1, channels, 6, 6]) });
    return out['y']!.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** Bytes beyond the sign bits, measured: the same model with the stacked and with the per-weight layout (which has a 2 KiB bit table). */
const STACKED_OVERHEAD = 1817;
const PER_WEIGHT_OVERHEAD = 5315;

describe('the stacked packed layout', () => {
  it.each([
    [11, WEIGHTS],
    [13, WEIGHTS],
    [18, WEIGHTS],
    [13, ODD],
  ] as const)('at opset %i decodes in onnxruntime to exactly the float weights, and lifts back byte for byte', async (opset, weights) => {
    const packed = decodeModel(encodeModel(replaceWithBinaryWeights(model(weights, opset), weights, 'packed')));
    const float = replaceWithBinaryWeights(model(weights, opset), weights, 'float');
    const channels = [...weights.values()][0]!.dims[1]!;
    expect(Array.from(await run(packed, channels))).toEqual(Array.from(await run(float, channels)));

    const lifted = liftBinaryWeights(packed);
    expect([...lifted.weights.keys()]).toEqual([...weights.keys()]);
    for (const [name, w] of weights) expect(lifted.weights.get(name)).toEqual(w);
    expect(lifted.model.graph.nodes.map((n) => n.name)).toEqual(model(weights, opset).graph.nodes.map((n) => n.name));
    expect(Buffer.from(encodeModel(replaceWithBinaryWeights(lifted.model, lifted.weights, 'packed'))).equals(Buffer.from(encodeModel(packed)))).toBe(true);
  });

  it('stores 1,817 bytes beside the sign bits where the per-weight layout stores 5,315', () => {
    const bits = [...WEIGHTS.values()].reduce((a, w) => a + w.bits.length, 0);
    const stacked = encodeModel(replaceWithBinaryWeights(model(WEIGHTS, 13), WEIGHTS, 'packed'));
    const { [PACKING_METADATA_KEY]: _, ...perWeightMetadata } = model(WEIGHTS, 13).metadata;
    const perWeight = encodeModel(replaceWithBinaryWeights({ ...model(WEIGHTS, 13), metadata: perWeightMetadata }, WEIGHTS, 'packed'));
    // the same weights: 3 groups (w1 alone; w2–w4 stacked as [16, 4, 3, 3]; w5–w6 as [16, 8, 1, 1]) and one decode chain
    const nodes = decodeModel(stacked).graph.nodes.map((n) => n.opType);
    expect(nodes.slice(0, 10)).toEqual(['BitShift', 'Mod', 'Cast', 'Gather', 'Split', 'Reshape', 'Mul', 'Reshape', 'Mul', 'Split']);
    expect([stacked.length - bits, perWeight.length - bits]).toEqual([STACKED_OVERHEAD, PER_WEIGHT_OVERHEAD]);
  });

  it('is not lifted when a group differs from what onebit writes, and an unknown packing is refused', () => {
    const packed = replaceWithBinaryWeights(model(WEIGHTS, 13), WEIGHTS, 'packed');
    expect(findStackedBinaryWeights(packed.graph, 13)?.weights.size).toBe(6);
    const scale = packed.graph.initializers.find((i) => i.name === 'pk.2.c')!;
    scale.tensor = tensor('float32', [1], new Float32Array([0.125])); // rank 1 instead of a scalar
    expect(findStackedBinaryWeights(packed.graph, 13)).toBeUndefined();
    expect(liftBinaryWeights(packed).weights.size).toBe(0);
    const other = { ...model(WEIGHTS, 13), metadata: { [PACKING_METADATA_KEY]: 'zip' } };
    expect(() => replaceWithBinaryWeights(other, WEIGHTS, 'packed')).toThrow(ModelError);
    expect(() => replaceWithBinaryWeights(other, WEIGHTS, 'packed')).toThrow(/onebit\.packing is "zip"; onebit knows only "stacked"/);
    expect(() => replaceWithBinaryWeights(model(WEIGHTS, 10), WEIGHTS, 'packed')).toThrow(/needs opset 11 or later/);
  });
});
