/**
 * Issue 17, parity: the authors' WRN-20-10 (MATLAB and Keras releases, converted here with
 * @onebit/convert) run in the onebit engine — binary weights from their bits — give the
 * reference's top-1 predictions and logits within 1e-3 × max |logit|. CI runs images 0–99 (MATLAB)
 * and 0–49 (Keras); the full 1000 are quoted in the engine's README with the command.
 */
import { readFileSync } from 'node:fs';
import { convertSync } from '@onebit/convert';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { readCifar } from './cifar.js';
import { readNpy } from './npy.js';
import { argmaxRows } from './top-k.js';
import { validateModel } from './validate-model.js';

/** The bound on the engine's logits: 1e-3 of the largest reference logit. */
const ENGINE_MAX_REL_LOGIT_DIFF = 1e-3;

const cifar = readCifar(new Uint8Array(readFileSync(sharedPath('datasets/cifar10/test_batch_0-999.bin'))));

const releases = [
  ['MATLAB', 100, 'models/mcdonnell-wrn20-10-cifar10/matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat', 'reference/mcdonnell-wrn20-10-matlab_cifar10-test-0-999_logits.npy'],
  ['Keras', 50, 'models/mcdonnell-wrn20-10-cifar10/keras/CIFAR10_allparams.mat', 'reference/mcdonnell-wrn20-10-keras_cifar10-test-0-999_logits.npy'],
] as const;

describe('the onebit engine runs the authors\' WRN-20-10 like the reference', () => {
  it.each(releases)('%s release: the first %i CIFAR-10 test images', async (_, limit, modelPath, refPath) => {
    const model = convertSync(new Uint8Array(readFileSync(sharedPath(modelPath)))).bytes;
    const reference = readNpy(new Uint8Array(readFileSync(sharedPath(refPath))));
    const r = await validateModel({ model, data: cifar, preprocess: 'raw255', runtime: 'onebit', reference, limit, batchSize: 25 });
    expect(r.n).toBe(limit);
    expect(r.runtimeName).toBe('onebit engine (WebAssembly SIMD, 2 threads)'); // validate's default thread count
    expect(r.predictions).toEqual([...argmaxRows(reference.data as Float32Array, 10)].slice(0, limit));
    expect(r.agreement).toBe(1);
    expect(r.maxAbsLogitDiff! / r.maxAbsReferenceLogit!).toBeLessThanOrEqual(ENGINE_MAX_REL_LOGIT_DIFF);
  }, 600_000);
});
