/**
 * Issue 17, parity beyond the WRN: akamaster's ResNet-20, converted from its state_dict onto its
 * exported graph (float, and the four post-training 1-bit conversions with packed weights), and
 * the genuinely 1-bit-trained MNIST fixture, run in the onebit engine (`--runtime onebit`) give the
 * reference's top-1 predictions with logits within 1e-3 × max |logit|. CI runs CIFAR-10 test
 * images 0–199 per ResNet-20 row and all 2000 held-out MNIST images; the full 1000 CIFAR-10 images
 * are quoted in the engine's README with the command that measured them. The authors' plain 20-4
 * CIFAR-100 net is checked on the same 200 images against its reference logits.
 */
import { readFileSync } from 'node:fs';
import { convertSync, type ConvertOptions } from '@onebit/convert';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { readCifar } from './cifar.js';
import type { ImageSet } from './image-set.js';
import { readMnist } from './mnist.js';
import { readNpy } from './npy.js';
import { argmaxRows } from './top-k.js';
import { validateModel } from './validate-model.js';

/** The bound on the engine's logits: 1e-3 of the largest reference logit. */
const ENGINE_MAX_REL_LOGIT_DIFF = 1e-3;
/** CIFAR-10 test images per ResNet-20 row in CI (the README quotes all 1000). */
const RESNET20_IMAGES = 200;

const read = (p: string) => new Uint8Array(readFileSync(p));
const fixture = (p: string) => read(new URL(`../../../test-fixtures/${p}`, import.meta.url).pathname);
const cifar = readCifar(read(sharedPath('datasets/cifar10/test_batch_0-999.bin')));
const th = read(sharedPath('models/akamaster-resnet20-cifar10/resnet20-12fca82f.th'));
const graph = fixture('resnet20/resnet20.onnx');

const RESNET20: Array<[string, Partial<ConvertOptions>]> = [
  ['akamaster-resnet20', { allowNone: true, policy: { keep: ['*'] } }],
  ['akamaster-resnet20-binarized-he-all', { scale: 'he', policy: {} }],
  ['akamaster-resnet20-binarized-he-allbutends', { scale: 'he', policy: { keepFirst: true, keepLast: true } }],
  ['akamaster-resnet20-binarized-bwn-all', { scale: 'mean-abs', policy: {} }],
  ['akamaster-resnet20-binarized-bwn-allbutends', { scale: 'mean-abs', policy: { keepFirst: true, keepLast: true } }],
];

async function engineParity(model: Uint8Array, data: ImageSet, preprocess: string, referencePath: Uint8Array, limit: number) {
  const reference = readNpy(referencePath);
  const r = await validateModel({ model, data, preprocess, runtime: 'onebit', reference, limit, batchSize: 50 });
  const classes = reference.dims[1]!;
  expect(r.n).toBe(limit);
  expect(r.runtimeName).toMatch(/^onebit engine/);
  expect(r.predictions).toEqual([...argmaxRows(reference.data as Float32Array, classes)].slice(0, limit));
  expect(r.agreement).toBe(1);
  expect(r.maxAbsLogitDiff! / r.maxAbsReferenceLogit!).toBeLessThanOrEqual(ENGINE_MAX_REL_LOGIT_DIFF);
}

describe('the onebit engine runs ResNet-20 (from its state_dict) like the reference', () => {
  it.each(RESNET20)(`%s: CIFAR-10 test images 0–${RESNET20_IMAGES - 1}`, async (ref, options) => {
    const out = convertSync(th, { fileName: 'resnet20-12fca82f.th', graph, includeGemm: true, ...options });
    await engineParity(out.bytes, cifar, 'cifar-torchvision', read(sharedPath(`reference/${ref}_cifar10-test-0-999_logits.npy`)), RESNET20_IMAGES);
  }, 300_000);
});

describe('the onebit engine runs the 1-bit MNIST fixture like PyTorch', () => {
  it('all 2000 held-out images (8000–9999), packed from the exported ±scale ONNX', async () => {
    const mnist = readMnist(read(sharedPath('datasets/mnist/t10k-images-idx3-ubyte')), read(sharedPath('datasets/mnist/t10k-labels-idx1-ubyte')));
    const heldOut: ImageSet = { ...mnist, n: 2000, pixels: mnist.pixels.subarray(8000 * 784), labels: mnist.labels.subarray(8000) };
    const out = convertSync(fixture('mnist-1bit/mnist-1bit.onnx'), { fileName: 'mnist-1bit.onnx' });
    await engineParity(out.bytes, heldOut, 'raw255', fixture('mnist-1bit/heldout-logits.npy'), 2000);
  }, 300_000);
});

describe("the onebit engine runs the authors' plain 20-4 CIFAR-100 net like the reference", () => {
  it(`CIFAR-10 test images 0–${RESNET20_IMAGES - 1} (a parity check: CIFAR-100 classes on CIFAR-10 images)`, async () => {
    const out = convertSync(read(sharedPath('models/mcdonnell-plain20-4-cifar100/CIFAR100_20-4-Plain_644kB.mat')), { fileName: 'CIFAR100_20-4-Plain_644kB.mat' });
    await engineParity(out.bytes, cifar, 'raw255', read(sharedPath('reference/mcdonnell-plain20-4-cifar100_cifar10-test-0-999_logits.npy')), RESNET20_IMAGES);
  }, 300_000);
});
