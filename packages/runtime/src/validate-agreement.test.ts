/**
 * What CI validated is what deployment computes, end to end: on CIFAR-10 test images 0–19 (the
 * packed WRN-20-10) and ImageNet validation images 0–39 (the int8 MobileNetV2, `imagenet` preset)
 * the Node runtime's top-1 equals `validateModel`'s top-1 on every image, for the same inference
 * backend (the onebit engine and onnxruntime-node), so the error rates are equal too. The runtime
 * gets what a deployment gets: raw pixels for CIFAR, the JPEG files for ImageNet.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '@onebit/data';
import { getPreprocess, loadImageSet, readCifar, validateModel, type RuntimeName } from '@onebit/validate';
import { describe, expect, it } from 'vitest';
import { loadModel, type NodeImage } from './node.js';
import { loadFixture } from './test-model.fixture.js';

const CIFAR_IMAGES = 20;
const IMAGENET_IMAGES = 40;

/** The runtime's top-1 class of each image, classified in batches as an application would. */
async function runtimeTop1(model: Uint8Array, images: readonly NodeImage[], backend: 'auto' | 'onnxruntime', preprocess?: string): Promise<{ top1: number[]; backend: string }> {
  const m = await loadModel(model, { backend, ...(preprocess ? { preprocess } : {}) });
  try {
    return { top1: (await m.classifyBatch(images, { topK: 1 })).map((r) => r[0]!.index), backend: m.info.backend };
  } finally {
    await m.dispose();
  }
}

describe('the runtime classifies as validate measured', () => {
  it(`CIFAR-10 images 0–${CIFAR_IMAGES - 1}, packed WRN-20-10: same top-1 on every image with the engine and with onnxruntime-node`, async () => {
    const fx = await loadFixture(CIFAR_IMAGES);
    const cifar = readCifar(new Uint8Array(readFileSync(sharedPath('datasets/cifar10/test_batch_0-999.bin'))));
    const pairs: [RuntimeName, 'auto' | 'onnxruntime', string][] = [['onebit', 'auto', 'onebit engine'], ['node', 'onnxruntime', 'onnxruntime-node']];
    for (const [validateRuntime, runtimeBackend, backendPrefix] of pairs) {
      const report = await validateModel({ model: fx.model, data: cifar, preprocess: 'raw255', runtime: validateRuntime, limit: CIFAR_IMAGES });
      const got = await runtimeTop1(fx.model, fx.images, runtimeBackend);
      expect(got.backend.startsWith(backendPrefix), got.backend).toBe(true);
      expect(report.predictions).toHaveLength(CIFAR_IMAGES);
      expect([validateRuntime, got.top1]).toEqual([validateRuntime, report.predictions]);
      const errors = got.top1.filter((c, i) => c !== fx.trueLabels[i]).length;
      expect(errors / CIFAR_IMAGES).toBe(report.top1Error);
    }
  }, 300_000);

  it(`ImageNet validation images 0–${IMAGENET_IMAGES - 1} (JPEG files), int8 MobileNetV2 with the imagenet preset: same top-1 on every image in onnxruntime-node`, async () => {
    const folder = sharedPath('datasets/imagenet/val-1300-resized-227');
    const preset = getPreprocess('imagenet');
    const data = await loadImageSet(folder, { geometry: { resize: preset.resize!, crop: preset.crop! }, range: () => [0, IMAGENET_IMAGES] });
    const model = new Uint8Array(readFileSync(sharedPath('models/onnx-zoo-mobilenetv2-12-int8/mobilenetv2-12-int8.onnx')));
    const report = await validateModel({ model, data, preprocess: preset, runtime: 'node', batchSize: 20, limit: IMAGENET_IMAGES });
    const files = data.files!.slice(0, IMAGENET_IMAGES).map((f) => new Uint8Array(readFileSync(join(folder, f))));
    // The engine has no QLinearConv, so the runtime's automatic choice is onnxruntime-node, as in validate.
    const got = await runtimeTop1(model, files, 'auto', 'imagenet');
    expect(report.predictions).toHaveLength(IMAGENET_IMAGES);
    expect(got.backend).toMatch(/^onnxruntime-node/);
    expect(got.top1).toEqual(report.predictions);
    expect(got.top1.filter((c, i) => c !== data.labels[i]).length / IMAGENET_IMAGES).toBe(report.top1Error);
  }, 300_000);
});
