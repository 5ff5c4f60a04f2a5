/**
 * End to end on the authors' plain 20-4 CIFAR-100 network (../shared/models/mcdonnell-plain20-4-cifar100):
 * it converts with its layers, strides, padding, class count and stored LayerScales read from the
 * file; the packed ONNX's size is pinned against the 1-bit floor; and in onnxruntime-node on CIFAR-10
 * test images 0–199 it reproduces the reference logits (a parity check only: CIFAR-100 classes on
 * CIFAR-10 images). `onebit validate` on all 1000 images is the README's command.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TruncatedError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { readCifar, readNpy, validateModel } from '@onebit/validate';
import { readMat } from '@onebit/mat';
import { foldBatchNorm, readPlainNet } from '@onebit/wrn';
import { convertSync } from './convert.js';

/** The parity bound of the issue: max |Δlogit| ≤ 1e-3 × the largest |reference logit|. */
const MAX_RELATIVE_LOGIT_DIFF = 1e-3;
/** Images in this test (the README's validate command runs all 1000). */
const IMAGES = 200;
/**
 * The bound, 1.05 × the 1-bit floor (537,944 B) rounded: measured 564,761 — the floor + the
 * batch norms folded into per-channel conv scales and biases (22,840 B of float32) + ~4 KB of graph
 * (the stacked decode layout, PACKED.md).
 */
const PACKED_MAX_BYTES = 565_000;
const E2E_TIMEOUT_MS = 600_000;

const read = (p: string) => new Uint8Array(readFileSync(sharedPath(p)));
const PLAIN = 'models/mcdonnell-plain20-4-cifar100/CIFAR100_20-4-Plain_644kB.mat';

describe("the authors' plain 20-4 CIFAR-100 net", () => {
  const mat = read(PLAIN);
  const packed = convertSync(mat, { fileName: 'CIFAR100_20-4-Plain_644kB.mat' });

  it('converts with its 20 layers, 4,303,552 binary weights, 100 classes and the stored LayerScales', () => {
    const s = packed.summary;
    expect([s.family, s.binaryLayers, s.binaryWeights, s.numClasses, s.preprocess]).toEqual(['mcdonnell-plain-cnn', 20, 4_303_552, 100, 'raw255']);
    expect(s.scale).toBe("the file's stored LayerScales (not the he rule), times the next batch norm's γ/σ per output channel");
    expect(s.oneBitFloorBytes).toBe(537_944);
    expect(packed.bytes.length).toBe(564_761);
    expect(packed.bytes.length).toBeLessThanOrEqual(PACKED_MAX_BYTES);
    // Each weight's per-channel scale is LayerScales(L) × γ/σ of BN_{L+1} (γ = 1 in this file):
    // LayerScales(1) = 0.38490018 (3·3·3 inputs), LayerScales(20) = 0.125.
    const net = readPlainNet(readMat(mat));
    const bns = net.layers.filter((l) => l.op === 'batchnorm');
    const scales = [...packed.graph.weights.values()].map((w) => w.scale as Float32Array);
    for (const [k, layerScale] of [[0, Math.fround(0.38490018)], [19, 0.125]] as const) {
      const { a } = foldBatchNorm(bns[k + 1]!);
      expect(Array.from(scales[k]!)).toEqual(Array.from(a, (v) => Math.fround(layerScale * v)));
    }
    const conv = (n: number) => packed.model!.graph.nodes.find((x) => x.opType === 'Conv' && x.outputs[0] === `c${n}`)!.attributes;
    // strides and pads at the ONNX defaults (1, 0) are not written
    expect([conv(8)['strides'], conv(14)['strides'], conv(20)['pads'], conv(20)['strides'], conv(3)['pads']]).toEqual([
      { type: 'ints', value: [2, 2] }, { type: 'ints', value: [2, 2] }, undefined, undefined, { type: 'ints', value: [1, 1, 1, 1] },
    ]);
  });

  it(`reproduces the reference logits on CIFAR-10 test images 0–${IMAGES - 1} (${IMAGES}/${IMAGES} top-1 agreement)`, async () => {
    const data = readCifar(read('datasets/cifar10/test_batch_0-999.bin'));
    const reference = readNpy(read('reference/mcdonnell-plain20-4-cifar100_cifar10-test-0-999_logits.npy'));
    const r = await validateModel({ model: packed.bytes, data, limit: IMAGES, preprocess: 'raw255', runtime: 'node', batchSize: 50, reference });
    expect(r.n).toBe(IMAGES);
    expect(r.agreement).toBe(1);
    expect(r.maxAbsLogitDiff!).toBeLessThanOrEqual(MAX_RELATIVE_LOGIT_DIFF * r.maxAbsReferenceLogit!);
  }, E2E_TIMEOUT_MS);

  it('validates on a CIFAR-100 binary file (coarse byte, fine byte, pixels), scored against the fine label', async () => {
    // 50 CIFAR-10 images written in the CIFAR-100 layout, fine label = the reference top-1, except
    // for images 0–9 whose fine label is shifted by one (and coarse label = fine / 5): 10 errors.
    const cifar10 = read('datasets/cifar10/test_batch_0-999.bin');
    const reference = readNpy(read('reference/mcdonnell-plain20-4-cifar100_cifar10-test-0-999_logits.npy'));
    const n = 50;
    const bytes = new Uint8Array(n * 3074);
    for (let i = 0; i < n; i++) {
      const row = (reference.data as Float32Array).subarray(i * 100, (i + 1) * 100);
      const top1 = row.indexOf(Math.max(...row));
      const fine = i < 10 ? (top1 + 1) % 100 : top1;
      bytes.set([Math.floor(fine / 5), fine], i * 3074);
      bytes.set(cifar10.subarray(i * 3073 + 1, (i + 1) * 3073), i * 3074 + 2);
    }
    const data = readCifar(bytes);
    expect(data.variant).toBe('cifar100');
    const r = await validateModel({ model: packed.bytes, data, preprocess: 'raw255', runtime: 'node', batchSize: 50 });
    expect([r.n, Math.round(r.top1Error * n)]).toEqual([50, 10]);
  }, E2E_TIMEOUT_MS);

  it('EXPECTED FAILURE: a truncated copy and a copy missing one layer of weights name the variable', () => {
    expect(() => convertSync(mat.subarray(0, 400_000), { fileName: 'cut.mat' })).toThrow(TruncatedError);
    expect(() => convertSync(mat.subarray(0, 400_000), { fileName: 'cut.mat' })).toThrow(/^MAT: compressed variable "BooleanSingleBitWeights" at byte \d+ needs \d+ bytes but only \d+ remain \(file truncated\?\)\.$/);
  });
});
