/**
 * Done-when 2 of issue 5, made CPU-independent: the ONNX-zoo int8 MobileNetV2 on images 0–299 of the
 * shared val-1300-resized-227 folder with the `imagenet` preset (sharp decode, shorter side → 256 with
 * Pillow's exact bilinear, centre crop 224, mean/std) reproduces the reference logits' top-1 on every
 * image in onnxruntime-web (wasm). The wasm runtime is used because onnxruntime-node's int8 kernels
 * depend on the CPU: on AVX2 machines without VNNI its u8s8 path (VPMADDUBSW) saturates, as the
 * onnxruntime quantization docs warn, and 17 % of this model's top-1 predictions change (measured on
 * an AMD EPYC with AVX2 only); wasm computes the same integers on every machine.
 */
import { readFileSync } from 'node:fs';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { loadImageSet } from './load-image-set.js';
import { readNpy } from './npy.js';
import { getPreprocess } from './preprocess.js';
import { describeGeometry } from './resize.js';
import { topK } from './top-k.js';
import { validateModel } from './validate-model.js';

/** Images checked in CI: wasm runs this model at a few images per second on 2 cores. */
const IMAGES = 300;

describe('MobileNetV2-12 int8 on ImageNet val-1300-resized-227 (images 0–299, wasm)', () => {
  it('every top-1 equals the reference\'s, and the error equals the reference\'s on the same images', async () => {
    const preset = getPreprocess('imagenet');
    const geometry = { resize: preset.resize!, crop: preset.crop! };
    const data = await loadImageSet(sharedPath('datasets/imagenet/val-1300-resized-227'), { geometry, range: () => [0, IMAGES] });
    const files = readFileSync(sharedPath('reference/mobilenetv2-12-int8_imagenet-val-1300_files.txt'), 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t')[0]);
    expect(data.files).toEqual(files);
    const reference = readNpy(new Uint8Array(readFileSync(sharedPath('reference/mobilenetv2-12-int8_imagenet-val-1300_logits.npy'))));
    const report = await validateModel({
      model: new Uint8Array(readFileSync(sharedPath('models/onnx-zoo-mobilenetv2-12-int8/mobilenetv2-12-int8.onnx'))),
      data, preprocess: preset, batchSize: 20, runtime: 'wasm', limit: IMAGES, resizeFilter: describeGeometry(geometry), reference,
    });
    expect(report.n).toBe(IMAGES);
    expect(report.preprocess).toBe('imagenet');
    expect(report.resizeFilter).toContain("'pillow-bilinear'");
    expect(report.agreement).toBe(1);
    const referenceTop1 = topK((reference.data as Float32Array).subarray(0, IMAGES * 1000), 1000, 1);
    const referenceErrors = referenceTop1.filter((c, i) => c !== data.labels[i]).length;
    expect(report.top1Error).toBe(referenceErrors / IMAGES);
    expect(report.perClassAccuracy).toHaveLength(1000);
    expect(report.confusion).toHaveLength(1000);
    console.log(`MobileNetV2 int8 (wasm, images 0–${IMAGES - 1}): top-1 ${(100 * report.top1Error).toFixed(2)} %, top-5 ${(100 * report.top5Error).toFixed(2)} %, agreement ${(100 * report.agreement!).toFixed(2)} %`);
  }, 900_000);
});
