/**
 * End to end on test-fixtures/binary-wide-resnet (small networks of szagoruyko/binary-wide-resnet,
 * written by its generate.py with the repository's forward pass): the training checkpoint and the
 * packed release convert without a graph to byte-identical packed and float ONNX and .onebit, and
 * reproduce the reference logits on CIFAR-10 test images 0–999 in onnxruntime-node (all 1000) and
 * onnxruntime-web (wasm, images 0–199 in CI); the release in torch's legacy format converts the same;
 * the latent weights exactly 0 are counted as summary.json says; broken checkpoints get one sentence
 * naming the key.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { readCifar, readNpy, validateModel, type ValidationReport } from '@onebit/validate';
import { convertSync, type ConvertOptions } from './convert.js';

const convertToOnnx = (bytes: Uint8Array, options: ConvertOptions = {}) => {
  const out = convertSync(bytes, options);
  return { ...out, model: out.model!, binarization: out.report.binarization };
};

/** Parity bound of the issue: max |Δlogit| ≤ 1e-3 × the largest |reference logit|. */
const MAX_RELATIVE_LOGIT_DIFF = 1e-3;

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../test-fixtures/binary-wide-resnet/${name}`, import.meta.url)));
const summary = JSON.parse(new TextDecoder().decode(fixture('summary.json'))) as {
  models: Record<string, { depth: number; width: number; classes: number; binary_weights: number; latent_weights_exactly_zero: number }>;
};
const cifar = readCifar(new Uint8Array(readFileSync(sharedPath('datasets/cifar10/test_batch_0-999.bin'))));
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

describe.each(Object.keys(summary.models))('binary-wide-resnet fixture %s', (name) => {
  const facts = summary.models[name]!;
  const checkpoint = fixture(`${name}.checkpoint.pth.tar`);
  const release = fixture(`${name}.packed.pth.tar`);
  const reference = readNpy(fixture(`${name}.logits.npy`));
  const fromCheckpoint = convertToOnnx(checkpoint, { fileName: `${name}.checkpoint.pth.tar` });
  const fromRelease = convertToOnnx(release, { fileName: `${name}.packed.pth.tar` });
  const validate = (model: Uint8Array, runtime: 'node' | 'wasm', limit = 1000): Promise<ValidationReport> =>
    validateModel({ model, data: cifar, preprocess: 'cifar-wrn', runtime, batchSize: 250, threads: 2, reference, limit });
  const expectReference = (r: ValidationReport, n = 1000) => {
    expect(r.n).toBe(n);
    expect(r.agreement).toBe(1);
    expect(r.maxAbsLogitDiff!).toBeLessThanOrEqual(MAX_RELATIVE_LOGIT_DIFF * r.maxAbsReferenceLogit!);
  };

  it('the training checkpoint and the packed release give byte-identical packed and float ONNX', () => {
    expect(same(fromCheckpoint.bytes, fromRelease.bytes)).toBe(true);
    const float = (b: Uint8Array, f: string) => convertToOnnx(b, { fileName: f, weights: 'float' }).bytes;
    expect(same(float(checkpoint, 'c'), float(release, 'r'))).toBe(true);
  });

  it('reports family, depth, width, classes, the binary convs and the latent zeros of summary.json', () => {
    const s = fromCheckpoint.summary;
    expect(s.notes).toEqual({ depth: facts.depth, width: facts.width, classes: facts.classes, stored: 'latent', latentZeros: facts.latent_weights_exactly_zero });
    expect([s.binaryWeights, s.binaryLayers, s.numClasses, s.preprocess]).toEqual([facts.binary_weights, facts.depth - 2, facts.classes, 'cifar-wrn']);
    expect(s.remarks![0]).toMatch(new RegExp(`^${facts.latent_weights_exactly_zero} latent weights are exactly 0 \\(.*\\): the repository's sign\\(\\) deploys them as 0`));
    expect(fromRelease.summary.notes['stored']).toBe('packed');
    expect(fromRelease.summary.remarks).toBeUndefined();
    const r = fromCheckpoint.binarization!;
    expect([r.binarized, r.alreadyBinary, r.kept]).toEqual([facts.depth - 2, 0, 2]);
    expect(fromRelease.binarization!.alreadyBinary).toBe(facts.depth - 2);
    expect(r.layers.filter((l) => l.action === 'kept').map((l) => l.name)).toEqual(['conv0.weight', 'conv_last.weight']);
    expect(fromCheckpoint.model.metadata['onebit.family']).toBe('binary-wide-resnet');
    expect(fromCheckpoint.model.metadata['onebit.preprocess']).toBe('cifar-wrn');
  });

  it('.onebit from either file converts back to the same ONNX bytes, packed and float', async () => {
    for (const bytes of [checkpoint, release]) {
      const container = convertSync(bytes, { fileName: name, to: 'onebit' }).bytes;
      expect(same(convertSync(container).bytes, fromCheckpoint.bytes)).toBe(true);
      expect(same(convertSync(container, { weights: 'float' }).bytes, convertToOnnx(checkpoint, { weights: 'float' }).bytes)).toBe(true);
    }
  });

  it('onnxruntime-node: packed and float ONNX give the reference logits on all 1000 images', async () => {
    expectReference(await validate(fromCheckpoint.bytes, 'node'));
    expectReference(await validate(convertToOnnx(release, { weights: 'float' }).bytes, 'node'));
  }, 120_000);

  // WebAssembly is several times slower than node on a 2-core CI machine: images 0–199 here; all
  // 1000 agree too (WASM_IMAGES=1000 npx vitest run src/binary-wide-resnet.e2e.test.ts).
  const wasmImages = Number(process.env['WASM_IMAGES'] ?? 200);
  it(`onnxruntime-web (wasm): the packed ONNX gives the reference logits on images 0–${wasmImages - 1}`, async () => {
    expectReference(await validate(fromRelease.bytes, 'wasm', wasmImages), wasmImages);
  }, 300_000);
});

describe('the packed release in torch\'s legacy format (as the published one, saved by PyTorch 0.4.1)', () => {
  it('converts to the same ONNX bytes as the zip-format file', () => {
    const legacy = convertToOnnx(fixture('wrn8-0.75-c10.packed.legacy.pth.tar'), { fileName: 'legacy.pth.tar' });
    expect(legacy.summary.inputFormat).toBe('PyTorch checkpoint (legacy, torch ≤ 1.5)');
    expect(same(legacy.bytes, convertToOnnx(fixture('wrn8-0.75-c10.packed.pth.tar')).bytes)).toBe(true);
  });
});

describe('broken binary-wide-resnet checkpoints', () => {
  it.each([
    ['broken-missing-key.pth.tar', 'module.group1.block0.bn1.running_var', "broken-missing-key.pth.tar is a binary-wide-resnet checkpoint without tensor 'module.group1.block0.bn1.running_var' (batch-norm running variance, float [24])."],
    ['broken-misshaped.pth.tar', 'module.group2.block0.conv1', "broken-misshaped.pth.tar: tensor 'module.group2.block0.conv1' has shape [47, 6, 3, 3], but a binary-wide-resnet of depth 8, width 0.75 (12/24/48 channels) and 10 classes needs [48, 6, 3, 3] (np.packbits of 48 input channels along axis 1)."],
  ])('%s: one sentence naming the key %s', (file, key, message) => {
    expect(() => convertToOnnx(fixture(file), { fileName: file })).toThrow(new ModelError(message, key));
  });

  it('graph-binarization flags are refused, not ignored', () => {
    expect(() => convertToOnnx(fixture('wrn8-0.75-c10.packed.pth.tar'), { fileName: 'w.pth.tar', policy: { keepFirst: true } })).toThrow(RangeError);
  });
});
