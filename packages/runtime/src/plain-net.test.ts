/**
 * @onebit/runtime loads the authors' plain 20-4 CIFAR-100 network — as packed ONNX and as .onebit —
 * and names its 100 outputs with CIFAR100_CLASSES (the official fine label names in label order):
 * on CIFAR-10 test images 0–9 (a parity check only; the classes mean nothing there) its top-1 is
 * the reference logits' top-1, with the engine (the default backend) and with onnxruntime-node.
 */
import { readFileSync } from 'node:fs';
import { convertSync } from '@onebit/convert';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { CIFAR100_CLASSES } from './class-names.js';
import { loadModel } from './node.js';
import type { RgbImage } from './types.js';

const IMAGES = 10;
const read = (p: string) => new Uint8Array(readFileSync(sharedPath(p)));

function cifarImages(n: number): RgbImage[] {
  const bin = read('datasets/cifar10/test_batch_0-999.bin');
  return Array.from({ length: n }, (_, i) => {
    const data = new Uint8Array(3072);
    for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) data[p * 3 + c] = bin[i * 3073 + 1 + c * 1024 + p]!;
    return { width: 32, height: 32, data };
  });
}

describe("the authors' plain 20-4 CIFAR-100 net in @onebit/runtime", () => {
  const mat = read('models/mcdonnell-plain20-4-cifar100/CIFAR100_20-4-Plain_644kB.mat');
  const reference = new Float32Array(read('reference/mcdonnell-plain20-4-cifar100_cifar10-test-0-999_logits.npy').slice(128).buffer);
  const expected = Array.from({ length: IMAGES }, (_, i) => {
    const row = reference.subarray(i * 100, (i + 1) * 100);
    return row.indexOf(Math.max(...row));
  });
  const images = cifarImages(IMAGES);

  it('has the 100 official CIFAR-100 fine label names in label order', () => {
    expect(CIFAR100_CLASSES).toHaveLength(100);
    expect([CIFAR100_CLASSES[0], CIFAR100_CLASSES[1], CIFAR100_CLASSES[58], CIFAR100_CLASSES[99]]).toEqual(['apple', 'aquarium_fish', 'pickup_truck', 'worm']);
  });

  it.each([
    ['packed ONNX', 'onnx', 'engine'],
    ['.onebit', 'onebit', 'engine'],
    ['packed ONNX', 'onnx', 'onnxruntime'],
  ] as const)('%s (%s) through the %s backend gives the reference top-1 on CIFAR-10 test images 0–9, named', async (_, to, backend) => {
    const model = await loadModel(convertSync(mat, { to }).bytes, { labels: [...CIFAR100_CLASSES], cache: false, backend });
    try {
      const ranked = await model.classifyBatch(images, { topK: 1 });
      expect(ranked.map((r) => r[0]!.index)).toEqual(expected);
      expect(ranked.map((r) => r[0]!.label)).toEqual(expected.map((i) => CIFAR100_CLASSES[i]));
    } finally {
      await model.dispose();
    }
  }, 120_000);
});
