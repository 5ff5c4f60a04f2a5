/**
 * End-to-end tests of validateModel: test-data/mean-rgb.onnx (per-channel mean → 3×10 integer
 * matrix + bias, exact in float32) on the real CIFAR-10 images, so every logit is known in advance.
 */
import { readFileSync } from 'node:fs';
import { ModelError, tensor } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { accuracyReport } from './accuracy.js';
import { applyPreprocess, getPreprocess } from './preprocess.js';
import { readCifar } from './cifar.js';
import { RUNTIMES } from './runner.js';
import { validateModel } from './validate-model.js';

const model = new Uint8Array(readFileSync(new URL('../test-data/mean-rgb.onnx', import.meta.url)));
const cifar = readCifar(new Uint8Array(readFileSync(sharedPath('datasets/cifar10/test_batch_0-999.bin'))));

/** The model's logits for the first `n` images under raw255, computed here. */
function expectedLogits(n: number): Float32Array {
  const out = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) {
    const mean = [0, 1, 2].map((c) => {
      let s = 0;
      for (let p = 0; p < 1024; p++) s += cifar.pixels[i * 3072 + c * 1024 + p]!;
      return s / 1024;
    });
    for (let k = 0; k < 10; k++) {
      let v = k - 4;
      for (let c = 0; c < 3; c++) v += mean[c]! * ((((c + 1) * (k + 1)) % 5) - 2);
      out[i * 10 + k] = v;
    }
  }
  return out;
}

describe.each(RUNTIMES)('validateModel on %s', (runtime) => {
  it('scores 120 real CIFAR-10 images exactly as computed by hand, in uneven batches', async () => {
    const progress: number[] = [];
    const want = expectedLogits(120);
    const report = await validateModel({
      model, data: cifar, preprocess: 'raw255', runtime, threads: 1, batchSize: 50, limit: 120,
      reference: tensor('float32', [1000, 10], new Float32Array(10_000).fill(0).map((_, i) => (i < 1200 ? want[i]! : 0))),
      onProgress: (done, total) => progress.push(done, total),
    });
    expect(progress).toEqual([50, 120, 100, 120, 120, 120]);
    expect([...report.logits]).toEqual([...want]);
    const hand = accuracyReport(want, [...cifar.labels.subarray(0, 120)], 10);
    expect(report.n).toBe(120);
    expect(report.predictions).toEqual(hand.predictions);
    expect(report.top1Error).toBe(hand.top1Error);
    expect(report.top5Error).toBe(hand.top5Error);
    expect(report.confusion).toEqual(hand.confusion);
    expect(report.agreement).toBe(1);
    expect(report.disagreements).toEqual([]);
    expect(report.maxAbsLogitDiff).toBe(0);
    expect(report.numClasses).toBe(10);
    expect(report.runtime).toBe(runtime);
    expect(report.preprocess).toBe('raw255');
    expect(report.throughput).toBeGreaterThan(0);
    expect(report.sessionCreationMs).toBeGreaterThan(0);
    const json = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
    expect(json['logits']).toBeUndefined();
    expect(json['top1ErrorCI95']).toEqual(report.top1ErrorCI95);
  });
});

describe('validateModel', () => {
  it('applies cifar-torchvision preprocessing and reports disagreements with a reference', async () => {
    const reference = tensor('float32', [2, 10], new Float32Array(20));
    reference.data[0 * 10 + 9] = 1; // image 0: reference says class 9
    reference.data[1 * 10 + 0] = 1; // image 1: reference says class 0
    const report = await validateModel({ model, data: cifar, preprocess: 'cifar-torchvision', limit: 2, reference, threads: 1 });
    expect(report.preprocess).toBe('cifar-torchvision');
    expect(report.logits.length).toBe(20);
    // Recompute image 0's logits from the preprocessed pixels (float32 sums may round, hence closeTo).
    const x = applyPreprocess(getPreprocess('cifar-torchvision'), cifar.pixels.subarray(0, 3072), 3, 1024);
    const mean = [0, 1, 2].map((c) => x.subarray(c * 1024, (c + 1) * 1024).reduce((a, b) => a + b, 0) / 1024);
    for (let k = 0; k < 10; k++) {
      const want = k - 4 + mean.reduce((a, m, c) => a + m * ((((c + 1) * (k + 1)) % 5) - 2), 0);
      expect(report.logits[k]).toBeCloseTo(want, 4);
    }
    expect(report.n).toBe(2);
    expect(report.disagreements!.length + report.agreement! * 2).toBe(2);
    expect(report.maxAbsReferenceLogit).toBe(1);
  });

  it('EXPECTED FAILURE: a reference with the wrong shape or too few rows', async () => {
    await expect(validateModel({ model, data: cifar, preprocess: 'raw255', limit: 5, reference: tensor('float32', [4, 10], new Float32Array(40)) }))
      .rejects.toThrow('Reference logits of shape 4×10 are not a 2-D [images, classes] array with at least 5 rows.');
    await expect(validateModel({ model, data: cifar, preprocess: 'raw255', limit: 5, threads: 1, reference: tensor('float32', [5, 9], new Float32Array(45)) }))
      .rejects.toThrow(ModelError);
    await expect(validateModel({ model, data: cifar, preprocess: 'raw255', limit: 1, reference: tensor('int64', [1, 10], new BigInt64Array(10)) }))
      .rejects.toThrow('Reference logits are int64, not floating point.');
  });

  it('accepts float64 references and a limit of 0', async () => {
    const want = expectedLogits(3);
    const report = await validateModel({ model, data: cifar, preprocess: 'raw255', limit: 3, threads: 1, reference: tensor('float64', [3, 10], Float64Array.from(want)) });
    expect(report.maxAbsLogitDiff).toBe(0);
    const empty = await validateModel({ model, data: cifar, preprocess: 'raw255', limit: 0, threads: 1 });
    expect(empty.n).toBe(0);
    expect(empty.predictions).toEqual([]);
  });

  it('EXPECTED FAILURE: images the model cannot take (1-channel MNIST-like input) give a ModelError', async () => {
    const grey = { n: 2, channels: 1, height: 4, width: 4, pixels: new Uint8Array(32), labels: [0, 1] };
    await expect(validateModel({ model, data: grey, preprocess: 'raw255', threads: 1 })).rejects.toThrow(
      new ModelError('The model\'s input "input" expects [N, 3, H, W] (NCHW, or NHWC with the channels last) but the data provides 1×4×4 images (channels×height×width); use images the model was made for (--size and --crop resize an image folder) or a model made for these images.', 'input'),
    );
  });

  it('BAD CALL: unknown preprocessing or batch size', async () => {
    await expect(validateModel({ model, data: cifar, preprocess: 'imagenet-typo' })).rejects.toThrow('Unknown preprocessing "imagenet-typo"; known: unit, raw255, cifar-torchvision, cifar-wrn, imagenet.');
    await expect(validateModel({ model, data: cifar, preprocess: 'raw255', batchSize: 0 })).rejects.toThrow(RangeError);
  });
});
