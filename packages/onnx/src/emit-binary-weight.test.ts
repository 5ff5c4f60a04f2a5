/**
 * Tests of addBinaryWeight: the bit table, a golden one-node Conv run in onnxruntime with packed and
 * float weights (identical outputs) at opsets 7 to 17 (Slice changes at 10), the packed size, and proof that
 * onnxruntime constant-folds the decode subgraph away.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { packSigns, type BinaryWeight } from '@onebit/bits';
import { ModelError } from '@onebit/core';
import { GraphBuilder } from './graph-builder.js';
import { addBinaryWeight, bitTable, BIT_TABLE_NAME, type BinaryWeightMode } from './emit-binary-weight.js';
import { decodeModel, encodeModel } from './model-proto.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

function randomWeight(dims: number[], scale: number | Float32Array, seed: number): BinaryWeight {
  const rnd = lcg(seed);
  const n = dims.reduce((a, d) => a * d, 1);
  const x = Float32Array.from({ length: n }, () => rnd() * 2 - 1);
  return { dims, bits: packSigns(x), scale };
}

/** A one-node Conv model: x [1, Cin, 6, 6] → Conv(weight, pads 1) → y. */
function convModel(w: BinaryWeight, mode: BinaryWeightMode, opset: number): Uint8Array {
  const [cout, cin, kh, kw] = w.dims as [number, number, number, number];
  const b = new GraphBuilder('conv');
  b.input('x', 'float32', [1, cin, 6, 6]);
  const weight = addBinaryWeight(b, 'conv.weight', w, mode, opset);
  const y = b.node('Conv', ['x', weight], { kernel_shape: [kh, kw], pads: [1, 1, 1, 1] });
  b.output('y', 'float32', [1, cout, 6 + 3 - kh, 6 + 3 - kw], y);
  return encodeModel(b.build({ opset }));
}

async function run(model: Uint8Array, x: Float32Array, cin: number, options: ort.InferenceSession.SessionOptions = {}): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, options);
  const out = await session.run({ x: new ort.Tensor('float32', x, [1, cin, 6, 6]) });
  await session.release();
  return out['y']!.data as Float32Array;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('bitTable', () => {
  it('maps byte 0xe5 to the signs of its bits, LSB first', () => {
    // 0xe5 = 0b11100101 → bits 0..7 = 1,0,1,0,0,1,1,1
    expect(Array.from(bitTable().subarray(0xe5 * 8, 0xe5 * 8 + 8))).toEqual([1, -1, 1, -1, -1, 1, 1, 1]);
  });
});

describe('addBinaryWeight in onnxruntime', () => {
  it('decodes the hand-worked 2×1×3×3 weight of PACKED.md', async () => {
    // bytes e5 f0 01 → bits k=0..17: 1 0 1 0 0 1 1 1 0 | 0 0 0 1 1 1 1 1 0 (see PACKED.md)
    const b = new GraphBuilder('golden');
    b.input('unused', 'float32', [1]);
    const w = addBinaryWeight(b, 'w', { dims: [2, 1, 3, 3], bits: new Uint8Array([0xe5, 0xf0, 0x01]), scale: new Float32Array([0.5, 2]) }, 'packed', 13);
    b.output('y', 'float32', [2, 1, 3, 3], w);
    const session = await ort.InferenceSession.create(encodeModel(b.build()));
    const out = await session.run({ unused: new ort.Tensor('float32', new Float32Array(1), [1]) });
    await session.release();
    expect(out['y']!.dims).toEqual([2, 1, 3, 3]);
    expect(Array.from(out['y']!.data as Float32Array)).toEqual([
      0.5, -0.5, 0.5, -0.5, -0.5, 0.5, 0.5, 0.5, -0.5, // filter 0, scale 0.5
      -2, -2, -2, 2, 2, 2, 2, 2, -2, // filter 1, scale 2
    ]);
  });

  it.each([7, 9, 10, 11, 13, 17])('packed and float weights give identical Conv outputs at opset %i', async (opset) => {
    // 5×3×3×3 = 135 weights: not a multiple of 8, so the Slice path runs
    const w = randomWeight([5, 3, 3, 3], 0.125, opset);
    const x = Float32Array.from({ length: 3 * 36 }, lcg(99).bind(null));
    const packed = await run(convModel(w, 'packed', opset), x, 3);
    const float = await run(convModel(w, 'float', opset), x, 3);
    expect(packed.length).toBe(5 * 36);
    expect(Array.from(packed)).toEqual(Array.from(float));
  });

  it('applies a per-output-channel scale', async () => {
    const scale = new Float32Array([0.5, 2, 0.25, 1]);
    const w = randomWeight([4, 2, 3, 3], scale, 7); // 72 weights: a multiple of 8, no Slice
    const x = Float32Array.from({ length: 2 * 36 }, lcg(5).bind(null));
    const packed = await run(convModel(w, 'packed', 13), x, 2);
    const float = await run(convModel(w, 'float', 13), x, 2);
    expect(Array.from(packed)).toEqual(Array.from(float));
    // channel 1 has 4× the scale of channel 0 with the same input: outputs differ per channel
    const unit = await run(convModel({ ...w, scale: 1 }, 'float', 13), x, 2);
    for (let c = 0; c < 4; c++) {
      for (let i = 0; i < 36; i++) expect(float[c * 36 + i]).toBeCloseTo(unit[c * 36 + i]! * scale[c]!, 5);
    }
  });

  it('stores about n/8 bytes plus the shared table', () => {
    const w = randomWeight([64, 64, 3, 3], 0.01, 3); // 36 864 weights → 4 608 bytes
    const packed = convModel(w, 'packed', 13);
    const float = convModel(w, 'float', 13);
    const table = 256 * 8; // int8 ±1
    expect(packed.length).toBeGreaterThan(4608 + table);
    expect(packed.length).toBeLessThan(4608 + table + 1024);
    expect(float.length).toBeGreaterThan(36864 * 4);
  });

  it('shares one bit table between weights', () => {
    const b = new GraphBuilder('two');
    addBinaryWeight(b, 'a', randomWeight([2, 1, 3, 3], 1, 1), 'packed', 13);
    addBinaryWeight(b, 'b', randomWeight([2, 1, 3, 3], 1, 2), 'packed', 13);
    const inits = b.graph().initializers.map((i) => i.name);
    expect(inits.filter((n) => n === BIT_TABLE_NAME)).toHaveLength(1);
  });

  it.each([7, 10, 11, 13])('is constant-folded by onnxruntime at opset %i: no Cast/Gather/Slice remain', async (opset) => {
    const dir = mkdtempSync(join(tmpdir(), 'onebit-onnx-'));
    dirs.push(dir);
    const file = join(dir, 'optimized.onnx');
    const w = randomWeight([5, 3, 3, 3], 0.5, 11);
    await run(convModel(w, 'packed', opset), new Float32Array(3 * 36), 3, { graphOptimizationLevel: 'basic', optimizedModelFilePath: file });
    const optimized = decodeModel(new Uint8Array(readFileSync(file)));
    const ops = optimized.graph.nodes.map((n) => n.opType);
    expect(ops).toEqual(['Conv']);
    // the folded weight is a float32 initializer equal to ±scale
    const conv = optimized.graph.nodes[0]!;
    const weight = optimized.graph.initializers.find((i) => i.name === conv.inputs[1]);
    expect(weight?.tensor.dtype).toBe('float32');
    expect(weight?.tensor.dims).toEqual([5, 3, 3, 3]);
    expect(new Set(weight?.tensor.data as Float32Array)).toEqual(new Set([0.5, -0.5]));
  });
});

describe('addBinaryWeight EXPECTED FAILURE on bad weight data: a ModelError naming the tensor (the CLI exits 1, not 2)', () => {
  const bad: Array<[string, Parameters<typeof addBinaryWeight>[2], number, string]> = [
    ['bits of the wrong length', { dims: [2, 1, 3, 3], bits: new Uint8Array(2), scale: 1 }, 13, 'binary weight "w" of shape [2, 1, 3, 3] needs 3 bytes of bits but has 2.'],
    ['a per-channel scale of the wrong length', { dims: [2, 1, 3, 3], bits: new Uint8Array(3), scale: new Float32Array(3) }, 13, 'binary weight "w" has 3 scales for 2 output channels.'],
    ['a zero dimension', { dims: [2, 0, 3, 3], bits: new Uint8Array(0), scale: 1 }, 13, 'binary weight "w" has invalid dims [2, 0, 3, 3].'],
    ['a NaN scale', { dims: [2, 1, 3, 3], bits: new Uint8Array(3), scale: NaN }, 13, 'binary weight "w" has scale NaN, not a finite number.'],
    ['an infinite channel scale', { dims: [2, 1, 3, 3], bits: new Uint8Array(3), scale: new Float32Array([1, Infinity]) }, 13, 'binary weight "w" has scale Infinity for channel 1, not a finite number.'],
    ['an opset onebit does not write', { dims: [2, 1, 3, 3], bits: new Uint8Array(3), scale: 1 }, 99, 'binary weight "w" is emitted for opset 99, outside the 7–21 range onebit writes.'],
  ];
  it.each(bad)('%s', (_, w, opset, message) => {
    const call = () => addBinaryWeight(new GraphBuilder('bad'), 'w', w, 'packed', opset);
    expect(call).toThrow(ModelError);
    expect(call).toThrow(message);
    let thrown: unknown;
    try { call(); } catch (e) { thrown = e; }
    expect((thrown as ModelError).tensorName).toBe('w');
  });
  it('an unknown mode is still a bad call (RangeError)', () => {
    expect(() => addBinaryWeight(new GraphBuilder('bad'), 'w', { dims: [8], bits: new Uint8Array(1), scale: 1 }, 'half' as 'packed')).toThrow(new RangeError('binary weight mode "half" is not \'packed\' or \'float\'.'));
  });
});
