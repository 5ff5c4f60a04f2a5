/**
 * Done-when 2 of issue 5: the ONNX-zoo int8 MobileNetV2 on all 1300 images of the shared
 * val-1300-resized-227 folder with the `imagenet` preset (sharp decode, shorter side → 256 with the
 * 'pillow-bilinear' method, centre crop 224, mean/std) is within 1.5 points of the reference's top-1
 * 20.15 % and top-5 6.00 % (Pillow 9.4 BILINEAR). sharp's bilinear rounds about 0.2 % of the pixel
 * values one level away from Pillow's, and the int8 model is that sensitive: the per-image top-1
 * agreement with the reference logits is about 93.6 %, not 100 %.
 */
import { readFileSync } from 'node:fs';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { loadImageSet } from './load-image-set.js';
import { readNpy } from './npy.js';
import { getPreprocess } from './preprocess.js';
import { describeGeometry } from './resize.js';
import { validateModel } from './validate-model.js';

/** The reference's numbers for this case (shared/reference/README.md). */
const REFERENCE_TOP1 = 0.2015;
const REFERENCE_TOP5 = 0.06;
/** Allowed distance in points (issue 5): different JPEG decoders and resizers move a few images. */
const TOLERANCE = 0.015;

describe('MobileNetV2-12 int8 on ImageNet val-1300-resized-227', () => {
  it('all 1300 images: top-1/top-5 within 1.5 points of the reference, with the 1000-class table', async () => {
    const preset = getPreprocess('imagenet');
    const geometry = { resize: preset.resize!, crop: preset.crop! };
    const data = await loadImageSet(sharedPath('datasets/imagenet/val-1300-resized-227'), { geometry });
    const files = readFileSync(sharedPath('reference/mobilenetv2-12-int8_imagenet-val-1300_files.txt'), 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t')[0]);
    expect(data.files).toEqual(files);
    const report = await validateModel({
      model: new Uint8Array(readFileSync(sharedPath('models/onnx-zoo-mobilenetv2-12-int8/mobilenetv2-12-int8.onnx'))),
      data, preprocess: preset, batchSize: 20, resizeFilter: describeGeometry(geometry),
      reference: readNpy(new Uint8Array(readFileSync(sharedPath('reference/mobilenetv2-12-int8_imagenet-val-1300_logits.npy')))),
    });
    expect(report.n).toBe(1300);
    expect(report.preprocess).toBe('imagenet');
    expect(report.resizeFilter).toContain("'pillow-bilinear'");
    expect(Math.abs(report.top1Error - REFERENCE_TOP1)).toBeLessThanOrEqual(TOLERANCE);
    expect(Math.abs(report.top5Error - REFERENCE_TOP5)).toBeLessThanOrEqual(TOLERANCE);
    expect(report.agreement).toBeGreaterThan(0.9);
    expect(report.perClassAccuracy).toHaveLength(1000);
    expect(report.perClassCount.reduce((a, b) => a + b)).toBe(1300);
    expect(report.confusion).toHaveLength(1000);
    console.log(`MobileNetV2 int8: top-1 ${(100 * report.top1Error).toFixed(2)} %, top-5 ${(100 * report.top5Error).toFixed(2)} %, agreement ${(100 * report.agreement!).toFixed(2)} %`);
  }, 600_000);
});
