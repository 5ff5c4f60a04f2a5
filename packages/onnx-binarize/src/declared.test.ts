/**
 * Tests of the kinds behind the shared cases, on graphs built here: Sign × scale reached through
 * Identity/Cast/Reshape with the scale on the left, QONNX Quant with a bit width of 1 (folded when its
 * two levels are ±a, refused when they are not), float64 and bfloat16 weights decoded to their own
 * dtype, a MatMul weight already ±a per output column, a weight that is also a graph output, and the
 * refusal to write a model in which nothing was binarized. Outputs are compared in onnxruntime-node
 * with the model that holds sign(w)·scale written out by hand.
 */
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { ModelError, UnsupportedError, tensor } from '@onebit/core';
import { GraphBuilder, encodeModel, type OnnxModel } from '@onebit/onnx';
import { binarizeOnnxModel } from './binarize-model.js';

/** Two float32 graphs computing the same sums in a different order agree to this (absolute). */
const FLOAT32_TOLERANCE = 1e-5;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
}
const X = Float32Array.from({ length: 2 * 3 * 5 * 5 }, lcg(5));
const W = Float32Array.from({ length: 4 * 3 * 3 * 3 }, lcg(9));

async function run(m: OnnxModel): Promise<Record<string, Float32Array>> {
  const s = await ort.InferenceSession.create(encodeModel(m));
  const out = await s.run({ x: new ort.Tensor('float32', X, [2, 3, 5, 5]) });
  await s.release();
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
}
const maxDiff = (a: Float32Array, b: Float32Array) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

/** x [2,3,5,5] → Conv with weight `w` (already computed by the caller's nodes) → y. */
function convModel(addWeight: (b: GraphBuilder) => string, extraOpsets: { domain: string; version: number }[] = []): OnnxModel {
  const b = new GraphBuilder('g');
  b.input('x', 'float32', ['N', 3, 5, 5]);
  const w = addWeight(b);
  b.output('y', 'float32', ['N', 4, 5, 5], b.node('Conv', ['x', w], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { name: 'conv' }));
  return b.build({ opset: 13, extraOpsets });
}
/** The reference: the same Conv with sign(W)·scale as a plain initializer. */
function reference(scale: (channel: number) => number): OnnxModel {
  return convModel((b) => b.initializer('ref', tensor('float32', [4, 3, 3, 3], Float32Array.from(W, (v, i) => (v >= 0 ? 1 : -1) * scale(Math.floor(i / 27))))));
}

describe('declared binarization', () => {
  it('folds scale × Reshape(Sign(Cast(Identity(W)))) with a per-output-channel scale on the left', async () => {
    const scales = new Float32Array([0.5, 0.25, 0.125, 1]);
    const m = convModel((b) => {
      b.initializer('latent', tensor('float32', [4, 27], W));
      b.initializer('shape', tensor('int64', [4], new BigInt64Array([4n, 3n, 3n, 3n])));
      b.initializer('alpha', tensor('float32', [4, 1, 1, 1], scales));
      const id = b.node('Identity', ['latent']);
      const cast = b.node('Cast', [id], { to: 1 });
      const sign = b.node('Sign', [cast]);
      const r = b.node('Reshape', [sign, 'shape']);
      return b.node('Mul', ['alpha', r]);
    });
    const { model, report } = binarizeOnnxModel(m);
    expect(report.layers).toHaveLength(1);
    expect(report.layers[0]).toMatchObject({ name: 'latent', action: 'already-binary', declared: 'Sign·Mul', scale: [0.5, 0.25, 0.125, 1], source: 'initializer → Identity → Cast → Sign → Reshape → Mul' });
    expect(model.graph.nodes.filter((n) => n.opType === 'Sign' || n.inputs.includes('latent'))).toEqual([]);
    expect(model.graph.initializers.some((i) => i.name === 'latent' || i.name === 'alpha')).toBe(false);
    expect(maxDiff((await run(model))['y']!, (await run(reference((c) => scales[c]!)))['y']!)).toBeLessThanOrEqual(FLOAT32_TOLERANCE);
  });

  it('folds a QONNX Quant of bit width 1 whose levels are ±scale/2 (signed, zeropt −0.5), and refuses {−scale, 0}', async () => {
    const quant = (zeropt: number) =>
      convModel(
        (b) => {
          b.initializer('latent', tensor('float32', [4, 3, 3, 3], W));
          b.initializer('s', tensor('float32', [], new Float32Array([0.5])));
          b.initializer('z', tensor('float32', [], new Float32Array([zeropt])));
          b.initializer('bits', tensor('float32', [], new Float32Array([1])));
          return b.node('Quant', ['latent', 's', 'z', 'bits'], { signed: 1, narrow: 0, rounding_mode: 'ROUND' }, { domain: 'qonnx.custom_op.general' });
        },
        [{ domain: 'qonnx.custom_op.general', version: 1 }],
      );
    const { model, report } = binarizeOnnxModel(quant(-0.5));
    expect(report.layers[0]).toMatchObject({ name: 'latent', action: 'already-binary', declared: 'Quant', scale: 0.25 });
    expect(model.opsetImports.map((o) => o.domain)).toEqual(['']);
    // QONNX: y = (clamp(round(w/0.5 − 0.5), −1, 0) + 0.5)·0.5, i.e. +0.25 for w > 0.25·… and −0.25 otherwise.
    const qonnx = (v: number) => {
      const t = v / 0.5 - 0.5;
      const f = Math.floor(t);
      const r = t - f > 0.5 ? f + 1 : t - f < 0.5 ? f : f % 2 === 0 ? f : f + 1;
      return (Math.min(0, Math.max(-1, r)) + 0.5) * 0.5;
    };
    const expected = convModel((b) => b.initializer('ref', tensor('float32', [4, 3, 3, 3], Float32Array.from(W, qonnx))));
    expect(maxDiff((await run(model))['y']!, (await run(expected))['y']!)).toBeLessThanOrEqual(FLOAT32_TOLERANCE);
    expect(() => binarizeOnnxModel(quant(0))).toThrow(UnsupportedError);
    expect(() => binarizeOnnxModel(quant(0))).toThrow(/whose levels -1·scale and 0·scale are not ±a; onebit stores only ±a weights, so export the weight with BipolarQuant\.$/);
  });
});

describe('weights of every float dtype and layout', () => {
  it('follows a float64 weight through its Cast to float32 and binarizes it', async () => {
    const m = convModel((b) => b.node('Cast', [b.initializer('w', tensor('float64', [4, 3, 3, 3], Float64Array.from(W)))], { to: 1 }, { name: 'cw' }));
    const { model, report } = binarizeOnnxModel(m);
    expect(report.layers.map((l) => [l.name, l.action, l.dtype, l.source])).toEqual([['w', 'binarized', 'float32', 'initializer → Cast']]);
    expect(model.graph.initializers.some((i) => i.name === 'w')).toBe(false);
    expect(maxDiff((await run(model))['y']!, (await run(reference(() => Math.sqrt(2 / 27))))['y']!)).toBeLessThanOrEqual(FLOAT32_TOLERANCE);
  });

  it('binarizes a float64 MatMul weight and decodes it back to float64', async () => {
    const B = Float64Array.from({ length: 12 }, lcg(4));
    const build = (weight: Float64Array) => {
      const b = new GraphBuilder('mm64');
      b.input('x', 'float64', [2, 4]);
      b.initializer('B', tensor('float64', [4, 3], weight));
      b.output('y', 'float64', [2, 3], b.node('MatMul', ['x', 'B'], {}, { name: 'mm' }));
      return b.build({ opset: 13 });
    };
    const { model, report } = binarizeOnnxModel(build(B), { includeGemm: true });
    expect(report.layers[0]).toMatchObject({ name: 'B', action: 'binarized', dtype: 'float64', scale: Math.sqrt(2 / 4) });
    expect(model.graph.nodes.find((n) => n.outputs.includes('B'))).toMatchObject({ opType: 'Cast', attributes: { to: { type: 'int', value: 11 } } });
    const x = new Float64Array([1, 2, 3, 4, -1, 0.5, 0.25, 2]);
    const runMm = async (mm: OnnxModel) => {
      const s = await ort.InferenceSession.create(encodeModel(mm));
      const out = (await s.run({ x: new ort.Tensor('float64', x, [2, 4]) }))['y']!.data as Float64Array;
      await s.release();
      return Array.from(out);
    };
    const scale = Math.fround(Math.sqrt(2 / 4));
    expect(await runMm(model)).toEqual(await runMm(build(B.map((v) => (v >= 0 ? 1 : -1) * scale))));
  });

  it('decodes a bfloat16 weight to bfloat16 with a Cast after the packed chain', () => {
    const bits = Uint16Array.from(W, (v) => new Uint32Array(new Float32Array([v]).buffer)[0]! >>> 16);
    const b = new GraphBuilder('bf16');
    b.input('x', 'bfloat16', ['N', 3, 5, 5]);
    b.initializer('w', tensor('bfloat16', [4, 3, 3, 3], bits));
    b.output('y', 'bfloat16', ['N', 4, 5, 5], b.node('Conv', ['x', 'w'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { name: 'conv' }));
    const { model, report } = binarizeOnnxModel(b.build({ opset: 13 }));
    expect(report.layers.map((l) => [l.name, l.action, l.dtype, l.scale])).toEqual([['w', 'binarized', 'bfloat16', Math.sqrt(2 / 27)]]);
    const cast = model.graph.nodes.find((n) => n.outputs.includes('w'))!;
    expect(cast).toMatchObject({ opType: 'Cast', inputs: ['w.binary_float32'], attributes: { to: { type: 'int', value: 16 } } });
    expect(model.graph.nodes.find((n) => n.outputs.includes('w.binary_float32'))!.opType).toBe('Mul');
  });

  it('packs a MatMul weight that is already ±a per output column with its own scales', async () => {
    const cols = [0.5, 2, 0.125];
    const B = Float32Array.from({ length: 4 * 3 }, (_v, i) => (lcg(i + 1)() >= 0 ? 1 : -1) * cols[i % 3]!);
    const b = new GraphBuilder('mm');
    b.input('x', 'float32', [2, 4]);
    b.initializer('B', tensor('float32', [4, 3], B));
    b.output('y', 'float32', [2, 3], b.node('MatMul', ['x', 'B'], {}, { name: 'mm' }));
    const m = b.build({ opset: 13 });
    const { model, report } = binarizeOnnxModel(m, { includeGemm: true });
    expect(report.layers[0]).toMatchObject({ name: 'B', action: 'already-binary', scale: cols });
    const x = new Float32Array([1, 2, 3, 4, -1, 0.5, 0.25, 2]);
    const runMm = async (mm: OnnxModel) => {
      const s = await ort.InferenceSession.create(encodeModel(mm));
      const out = (await s.run({ x: new ort.Tensor('float32', x, [2, 4]) }))['y']!.data as Float32Array;
      await s.release();
      return out;
    };
    expect(Array.from(await runMm(model))).toEqual(Array.from(await runMm(m)));
  });

  it('keeps the float tensor for a graph output that is also a Conv weight', () => {
    const b = new GraphBuilder('g');
    b.input('x', 'float32', ['N', 3, 5, 5]);
    const w = b.initializer('w', tensor('float32', [4, 3, 3, 3], W));
    b.output('y', 'float32', ['N', 4, 5, 5], b.node('Conv', ['x', w], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { name: 'conv' }));
    b.output('w', 'float32', [4, 3, 3, 3], w);
    const m = b.build({ opset: 13 });
    const { model, report } = binarizeOnnxModel(m, { weights: 'float' });
    expect(report.layers[0]!.keptReaders).toEqual(['a graph output']);
    expect(model.graph.initializers.find((i) => i.name === 'w')!.tensor.data).toEqual(W);
    expect(model.graph.nodes[0]!.inputs[1]).toBe('w.binary');
  });

  it('refuses to write a model in which nothing was binarized, unless allowNone', () => {
    const m = convModel((b) => b.initializer('w', tensor('float32', [4, 3, 3, 3], W)));
    expect(() => binarizeOnnxModel(m, { policy: { keep: ['w'] } })).toThrow(ModelError);
    expect(() => binarizeOnnxModel(m, { policy: { keep: ['w'] } })).toThrow("No weight was binarized: all 1 weights were kept ('w' (Conv): --keep 'w'); change the rules or pass --allow-none to write the model unchanged.");
    const none = binarizeOnnxModel(m, { policy: { keep: ['w'] }, allowNone: true });
    expect(none.report.kept).toBe(1);
    expect(none.model).toEqual(m);
  });

  it('lists a weight computed from the input as kept, not a constant', () => {
    const b = new GraphBuilder('g');
    b.input('x', 'float32', ['N', 3, 5, 5]);
    b.input('wx', 'float32', [4, 3, 3, 3]);
    b.initializer('w2', tensor('float32', [4, 4, 1, 1], Float32Array.from({ length: 16 }, lcg(2))));
    const h = b.node('Conv', ['x', 'wx'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { name: 'dyn' });
    b.output('y', 'float32', ['N', 4, 5, 5], b.node('Conv', [h, 'w2'], { kernel_shape: [1, 1] }, { name: 'c2' }));
    const { report } = binarizeOnnxModel(b.build({ opset: 13 }));
    expect(report.layers.map((l) => [l.name, l.action, l.rule])).toEqual([
      ['wx', 'kept', "not a constant: 'wx' is a graph input, not a constant"],
      ['w2', 'binarized', 'default'],
    ]);
  });
});
