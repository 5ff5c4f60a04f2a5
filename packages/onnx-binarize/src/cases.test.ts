/**
 * The conversion cases of ../shared/cases/convert (01, 03, 05, 06, 07, 20) and the declared-binary
 * fixture of test-fixtures/declared-sign: each converted model is run in onnxruntime-node on the same
 * seeded random inputs as the case's independently computed expected*.onnx (or PyTorch's logits),
 * and the outputs must agree within a named tolerance; the report must say what happened to each weight.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { sharedPath } from '@onebit/data';
import { decodeModel, encodeModel, type OnnxModel } from '@onebit/onnx';
import { binarizeOnnxModel } from './binarize-model.js';

/** Outputs of two float32 graphs computing the same sums in a different order agree to this (absolute). */
const FLOAT32_TOLERANCE = 1e-5;
/** float16 convolutions round each output to 11 significant bits: agreement to this (absolute, outputs of size ~1). */
const FLOAT16_TOLERANCE = 2e-3;

const caseModel = (path: string): OnnxModel => decodeModel(new Uint8Array(readFileSync(sharedPath(`cases/convert/${path}`))), path);

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
}

/** Runs `m` on seeded inputs (free dims = 2) and returns every output as float32 numbers. */
async function run(m: OnnxModel, seed = 11): Promise<Record<string, number[]>> {
  const s = await ort.InferenceSession.create(encodeModel(m));
  const inits = new Set(m.graph.initializers.map((i) => i.name));
  const feeds: Record<string, ort.Tensor> = {};
  for (const v of m.graph.inputs.filter((i) => !inits.has(i.name))) {
    const dims = (v.dims ?? []).map((d) => (typeof d === 'number' ? d : 2));
    feeds[v.name] = new ort.Tensor('float32', Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, lcg(seed)), dims);
  }
  const out = await s.run(feeds);
  await s.release();
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.data as Float32Array, Number)]));
}

function expectClose(actual: Record<string, number[]>, expected: Record<string, number[]>, tolerance: number): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [k, e] of Object.entries(expected)) {
    const a = actual[k]!;
    expect(a.length).toBe(e.length);
    const worst = Math.max(...a.map((x, i) => Math.abs(x - e[i]!)));
    expect(worst, `output '${k}' differs by ${worst}`).toBeLessThanOrEqual(tolerance);
  }
}

const opTypes = (m: OnnxModel) => [...new Set(m.graph.nodes.map((n) => n.opType))].sort();

describe('shared/cases/convert', () => {
  it('01: Conv weights held in Constant nodes are followed to the constant and binarized', async () => {
    const { model, report } = binarizeOnnxModel(caseModel('01-constant-node-weights/model.onnx'));
    expect(report.layers.map((l) => [l.name, l.action, l.source, l.scale])).toEqual([
      ['w1', 'binarized', 'Constant', Math.sqrt(2 / 27)],
      ['w2', 'binarized', 'Constant', Math.sqrt(2 / 36)],
    ]);
    expect(model.graph.nodes.some((n) => n.opType === 'Constant')).toBe(false);
    expectClose(await run(model), await run(caseModel('01-constant-node-weights/expected.onnx')), FLOAT32_TOLERANCE);
  });

  it('03: float16 weights are binarized and decoded back to float16', async () => {
    const { model, report } = binarizeOnnxModel(caseModel('03-fp16-weights/model.onnx'));
    expect(report.layers.map((l) => [l.name, l.action, l.dtype])).toEqual([['w1', 'binarized', 'float16']]);
    const cast = model.graph.nodes.find((n) => n.outputs.includes('w1'));
    expect(cast).toMatchObject({ opType: 'Cast', attributes: { to: { type: 'int', value: 10 } } });
    expectClose(await run(model), await run(caseModel('03-fp16-weights/expected.onnx')), FLOAT16_TOLERANCE);
  });

  it('05: a ±a weight with exact zeros keeps its own a and says how many zeros became +a', async () => {
    const source = caseModel('05-sign-zero-ternary/ternary.onnx');
    const zeros = Array.from(source.graph.initializers[0]!.tensor.data as Float32Array).filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(0);
    const { model, report } = binarizeOnnxModel(source);
    expect(report.layers[0]).toMatchObject({ name: 'w', action: 'already-binary', scale: 0.25, zerosToPlus: zeros });
    expectClose(await run(model), await run(caseModel('05-sign-zero-ternary/ternary-expected-sign0plus.onnx')), FLOAT32_TOLERANCE);
  });

  it('05: a float weight with exact zeros is binarized with the he scale and the zeros are counted', async () => {
    const source = caseModel('05-sign-zero-ternary/zeros.onnx');
    const zeros = Array.from(source.graph.initializers[0]!.tensor.data as Float32Array).filter((v) => v === 0).length;
    const { model, report } = binarizeOnnxModel(source);
    expect(report.layers[0]).toMatchObject({ name: 'w', action: 'binarized', scale: Math.sqrt(2 / 27), zerosToPlus: zeros });
    expectClose(await run(model), await run(caseModel('05-sign-zero-ternary/zeros-expected.onnx')), FLOAT32_TOLERANCE);
  });

  it('06: a weight also read by ReduceSum is binarized only for the Conv', async () => {
    const { model, report } = binarizeOnnxModel(caseModel('06-shared-weight-other-consumer/model.onnx'));
    expect(report.layers[0]).toMatchObject({ name: 'w', action: 'binarized', keptReaders: ["ReduceSum 's'"] });
    expectClose(await run(model), await run(caseModel('06-shared-weight-other-consumer/expected-if-only-conv-changes.onnx')), FLOAT32_TOLERANCE);
  });

  it('07: the ConvTranspose weight is listed as kept with the reason, or binarized on request with fan-in C_in·k²', async () => {
    const source = caseModel('07-convtranspose/model.onnx');
    const { model, report } = binarizeOnnxModel(source);
    expect(report.layers.map((l) => [l.name, l.opType, l.action, l.rule])).toEqual([
      ['w1', 'Conv', 'binarized', 'default'],
      ['wt', 'ConvTranspose', 'kept', 'ConvTranspose weights are binarized only with --include-convtranspose or a --binarize rule'],
    ]);
    expectClose(await run(model), await run(caseModel('07-convtranspose/expected-conv-only.onnx')), FLOAT32_TOLERANCE);
    // wt is [C_in = 4, C_out = 2, 2, 2]: each output sums C_in · 2 · 2 = 16 inputs.
    const both = binarizeOnnxModel(source, { policy: { binarize: ['*'] } });
    expect(both.report.layers[1]).toMatchObject({ name: 'wt', action: 'binarized', scale: Math.sqrt(2 / 16) });
    const wt = source.graph.initializers.find((i) => i.name === 'wt')!.tensor.data as Float32Array;
    const expectedBoth = caseModel('07-convtranspose/expected-conv-only.onnx');
    const signs = Float32Array.from(wt, (v) => (v >= 0 ? 1 : -1) * Math.fround(Math.sqrt(2 / 16)));
    expectedBoth.graph.initializers = expectedBoth.graph.initializers.map((i) => (i.name === 'wt' ? { name: 'wt', tensor: { dtype: 'float32', dims: i.tensor.dims, data: signs } } : i));
    expectClose(await run(both.model), await run(expectedBoth), FLOAT32_TOLERANCE);
  });

  it('20: a QONNX BipolarQuant weight is folded into packed bits with its scale and loads in stock onnxruntime', async () => {
    const { model, report } = binarizeOnnxModel(caseModel('20-qonnx-bipolarquant/model.onnx'));
    expect(report.layers[0]).toMatchObject({ name: 'w', action: 'already-binary', declared: 'BipolarQuant', scale: 0.25 });
    expect(report.declaredByGraph).toBe(true);
    expect(model.graph.nodes.every((n) => n.domain === '')).toBe(true);
    expect(model.opsetImports.map((o) => o.domain)).toEqual(['']);
    expect(report.warning).toBeUndefined();
    expectClose(await run(model), await run(caseModel('20-qonnx-bipolarquant/expected.onnx')), FLOAT32_TOLERANCE);
  });
});

describe('test-fixtures/declared-sign (torch.onnx.export of Sign(W) × scale, as binary-wide-resnet trains)', () => {
  const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../test-fixtures/declared-sign/${name}`, import.meta.url)));
  const inputs = new Float32Array(fixture('inputs.bin').slice().buffer);

  async function logits(m: OnnxModel): Promise<Float32Array> {
    const s = await ort.InferenceSession.create(encodeModel(m));
    const out = await s.run({ input: new ort.Tensor('float32', inputs, [4, 3, 8, 8]) });
    await s.release();
    return out['logits']!.data as Float32Array;
  }

  it.each([
    ['declared-sign.onnx', 'expected-logits.bin'],
    ['declared-sign-perchannel.onnx', 'expected-logits-perchannel.bin'],
  ])('%s: exactly the declared weights are packed, Sign/Mul removed, no warning, PyTorch logits reproduced', async (file, expectedFile) => {
    const { model, report } = binarizeOnnxModel(decodeModel(fixture(file), file), { weights: 'packed' });
    expect(report.layers.map((l) => [l.name, l.action])).toEqual([
      ['conv0', 'kept'],
      ['b0_conv0', 'already-binary'],
      ['b0_conv1', 'already-binary'],
      ['b1_conv0', 'already-binary'],
      ['b1_conv1', 'already-binary'],
      [expect.stringMatching(/^onnx::Conv_\d+$/), 'kept'],
    ]);
    expect(report.layers[0]!.rule).toBe('not declared binary by the graph, which declares its own binarization');
    expect(report.layers[1]!.rule).toBe('declared by the graph (Sign·Mul)');
    expect(report.declaredByGraph).toBe(true);
    expect(report.warning).toBeUndefined();
    expect(model.graph.nodes.some((n) => n.opType === 'Sign')).toBe(false);
    expect(model.graph.initializers.some((i) => i.name === 'b0_conv0')).toBe(false);
    if (file === 'declared-sign.onnx') expect(report.layers.filter((l) => l.action !== 'kept').map((l) => l.scale)).toEqual([Math.fround(Math.sqrt(2 / 144)), Math.fround(Math.sqrt(2 / 144)), Math.fround(Math.sqrt(2 / 144)), Math.fround(Math.sqrt(2 / 288))]);
    else expect(Array.isArray(report.layers[1]!.scale)).toBe(true);
    const expected = new Float32Array(fixture(expectedFile).slice().buffer);
    const got = await logits(model);
    const worst = Math.max(...Array.from(got, (v, i) => Math.abs(v - expected[i]!)));
    expect(worst).toBeLessThanOrEqual(1e-4);
  });

  it('--binarize and --keep still override the declared policy', () => {
    const m = decodeModel(fixture('declared-sign.onnx'), 'declared-sign.onnx');
    const { report } = binarizeOnnxModel(m, { policy: { keep: ['b0_conv0'] }, weights: 'float' });
    expect(report.layers.map((l) => l.action)).toEqual(['kept', 'kept', 'already-binary', 'already-binary', 'already-binary', 'kept']);
    const first = binarizeOnnxModel(m, { policy: { binarize: ['conv0'] }, weights: 'float' }).report;
    expect(first.layers.map((l) => l.action)).toEqual(['binarized', 'kept', 'kept', 'kept', 'kept', 'kept']);
    expect(first.warning).toBeUndefined();
  });
});
