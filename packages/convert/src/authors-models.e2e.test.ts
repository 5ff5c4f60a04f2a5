/**
 * End to end on the real files in ../shared: the authors' MATLAB and Keras WRN releases convert
 * to packed ONNX and, in onnxruntime-node on CIFAR-10 test images 0–999, reproduce the reference
 * logits of an independent implementation exactly in top-1 (1000/1000) and within 1e-3 × the
 * largest |logit|. The packed and float variants agree on every image.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '@onebit/data';
import { readCifar, readNpy, validateModel, type ValidationReport } from '@onebit/validate';
import { convertSync } from './convert.js';

/** The spine issue's parity bound: max |Δlogit| ≤ 1e-3 × the largest |reference logit|. */
const MAX_RELATIVE_LOGIT_DIFF = 1e-3;
/** 1000 images through a 26.7 M-weight net on 2 shared cores: minutes, not seconds. */
const E2E_TIMEOUT_MS = 900_000;
/** Measured 3,419,523: the 1-bit floor 3,342,140 + folded batch-norm statistics 55,144 + graph and bit table. */
const PACKED_MATLAB_MAX_BYTES = 3_420_000;

const data = readCifar(new Uint8Array(readFileSync(sharedPath('datasets/cifar10/test_batch_0-999.bin'))));
const read = (p: string) => new Uint8Array(readFileSync(sharedPath(p)));

/**
 * onnxruntime-node's run() blocks the event loop for the whole batch; a batch must stay well under
 * vitest's 60 s worker RPC timeout even on a busy machine (100 WRN images took over 60 s under load).
 */
const BATCH_SIZE = 25;

async function validate(model: Uint8Array, referencePath: string): Promise<ValidationReport> {
  return validateModel({ model, data, preprocess: 'raw255', runtime: 'node', batchSize: BATCH_SIZE, reference: readNpy(read(referencePath)) });
}

describe("the authors' MATLAB WRN-20-10 (CIFAR-10)", () => {
  const mat = read('models/mcdonnell-wrn20-10-cifar10/matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat');
  const packed = convertSync(mat, { fileName: 'TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat' });

  it('converts to a packed ONNX of 26,737,120 binary weights near the 1-bit floor', () => {
    expect(packed.summary.binaryWeights).toBe(26_737_120);
    expect(packed.summary.oneBitFloorBytes).toBe(3_342_140);
    expect(packed.summary.binaryLayers).toBe(20);
    expect(packed.bytes.length).toBeLessThanOrEqual(PACKED_MATLAB_MAX_BYTES);
  });

  it('makes the reference predictions on all 1000 test images: 38 errors, 3.80 % top-1', async () => {
    const r = await validate(packed.bytes, 'reference/mcdonnell-wrn20-10-matlab_cifar10-test-0-999_logits.npy');
    expect(r.n).toBe(1000);
    expect(r.agreement).toBe(1);
    expect(Math.round(r.top1Error * 1000)).toBe(38);
    expect(r.top5Error).toBeCloseTo(0.002, 10);
    expect(r.maxAbsLogitDiff!).toBeLessThanOrEqual(MAX_RELATIVE_LOGIT_DIFF * r.maxAbsReferenceLogit!);
    // packed and float weights: the same logits on every image
    const float = convertSync(mat, { weights: 'float' });
    const rf = await validate(float.bytes, 'reference/mcdonnell-wrn20-10-matlab_cifar10-test-0-999_logits.npy');
    expect(rf.predictions).toEqual(r.predictions);
    let maxDiff = 0;
    for (let i = 0; i < r.logits.length; i++) maxDiff = Math.max(maxDiff, Math.abs(r.logits[i]! - rf.logits[i]!));
    expect(maxDiff).toBe(0);
  }, E2E_TIMEOUT_MS);
});

describe("the authors' Keras WRN (CIFAR10_allparams.mat)", () => {
  it('makes the reference predictions on all 1000 test images: 37 errors, 3.70 % top-1', async () => {
    const keras = convertSync(read('models/mcdonnell-wrn20-10-cifar10/keras/CIFAR10_allparams.mat'));
    expect(keras.summary.family).toBe('mcdonnell-keras-wrn');
    const r = await validate(keras.bytes, 'reference/mcdonnell-wrn20-10-keras_cifar10-test-0-999_logits.npy');
    expect(r.agreement).toBe(1);
    expect(Math.round(r.top1Error * 1000)).toBe(37);
    expect(r.maxAbsLogitDiff!).toBeLessThanOrEqual(MAX_RELATIVE_LOGIT_DIFF * r.maxAbsReferenceLogit!);
  }, E2E_TIMEOUT_MS);

  it('explains that CIFAR10_01weights.mat lacks the batch-norm statistics', () => {
    expect(() => convertSync(read('models/mcdonnell-wrn20-10-cifar10/keras/CIFAR10_01weights.mat'), { fileName: 'CIFAR10_01weights.mat' })).toThrow(
      'CIFAR10_01weights.mat holds only the 20 conv bit arrays and no batch-norm statistics; convert the matching *_allparams.mat (e.g. CIFAR10_allparams.mat from the same release) instead.',
    );
  });
});
