/**
 * End to end on the genuinely 1-bit-trained MNIST fixture (test-fixtures/mnist-1bit, trained with
 * the paper's recipe on MNIST test images 0–7999): its torch.save state_dict of latent weights,
 * applied onto its exported graph and binarized with the he scale, and its exported ±scale ONNX,
 * packed losslessly, both give PyTorch's predictions on every held-out image 8000–9999 — and no
 * not-trained warning, because the BatchNorm statistics show 1-bit training.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '@onebit/data';
import { readMnist, readNpy, validateModel, type ImageSet, type ValidationReport } from '@onebit/validate';
import { convertSync } from './convert.js';

/** Parity bound: max |Δlogit| ≤ 1e-3 × the largest |reference logit| (as for the authors' models). */
const MAX_RELATIVE_LOGIT_DIFF = 1e-3;
const HELD_OUT_START = 8000;

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../test-fixtures/mnist-1bit/${name}`, import.meta.url)));
const golden = JSON.parse(new TextDecoder().decode(fixture('heldout-predictions.json'))) as { predictions: number[]; labels: number[]; heldout_error: number };
const mnist = readMnist(
  new Uint8Array(readFileSync(sharedPath('datasets/mnist/t10k-images-idx3-ubyte'))),
  new Uint8Array(readFileSync(sharedPath('datasets/mnist/t10k-labels-idx1-ubyte'))),
);
const heldOut: ImageSet = { ...mnist, n: 2000, pixels: mnist.pixels.subarray(HELD_OUT_START * 784), labels: mnist.labels.subarray(HELD_OUT_START) };

async function validate(model: Uint8Array): Promise<ValidationReport> {
  return validateModel({ model, data: heldOut, preprocess: 'raw255', runtime: 'node', batchSize: 500, reference: readNpy(fixture('heldout-logits.npy')) });
}

describe('the 1-bit MNIST fixture', () => {
  const fromPt = convertSync(fixture('mnist-1bit.pt'), { fileName: 'mnist-1bit.pt', graph: fixture('mnist-1bit.onnx'), graphFileName: 'mnist-1bit.onnx' });
  const fromOnnx = convertSync(fixture('mnist-1bit.onnx'), { fileName: 'mnist-1bit.onnx' });

  it('state_dict: all three latent conv weights binarized with the he scale, BN statistics matched, no warning', () => {
    const r = fromPt.report.binarization!;
    expect(r.layers.map((l) => [l.name, l.action, l.scale])).toEqual([
      ['conv1.weight', 'binarized', Math.sqrt(2 / 9)],
      ['conv2.weight', 'binarized', Math.sqrt(2 / 144)],
      ['conv3.weight', 'binarized', Math.sqrt(2 / 1568)],
    ]);
    expect(r.evidence.verdict).toBe('one-bit-trained');
    expect(r.warning).toBeUndefined();
    expect(fromPt.report.stateDict!.assignments).toHaveLength(9);
    expect(fromPt.report.stateDict!.unusedKeys).toEqual([]);
    expect(fromPt.report.stateDict!.ignoredKeys).toEqual(['bn1.num_batches_tracked', 'bn2.num_batches_tracked', 'bn3.num_batches_tracked']);
    expect(fromPt.summary.binaryWeights).toBe(144 + 4608 + 15680);
  });

  it("the exported ±scale ONNX: every conv weight detected as already binary and packed losslessly", () => {
    expect(fromOnnx.report.binarization!.layers.map((l) => l.action)).toEqual(['already-binary', 'already-binary', 'already-binary']);
    // both routes store the very same sign bits
    const bits = (m: typeof fromPt.model) => m!.graph.initializers.filter((i) => i.name.endsWith('.bits')).map((i) => Array.from(i.tensor.data as Uint8Array));
    expect(bits(fromOnnx.model)).toEqual(bits(fromPt.model));
  });

  it("the packed state_dict conversion predicts exactly PyTorch's class on all 2000 held-out images", async () => {
    const r = await validate(fromPt.bytes);
    expect(r.predictions).toEqual(golden.predictions);
    expect(r.top1Error).toBeCloseTo(golden.heldout_error, 6);
    expect(r.agreement).toBe(1);
    expect(r.maxAbsLogitDiff!).toBeLessThanOrEqual(MAX_RELATIVE_LOGIT_DIFF * r.maxAbsReferenceLogit!);
  });

  it("the packed ONNX conversion predicts exactly PyTorch's class on all 2000 held-out images", async () => {
    const r = await validate(fromOnnx.bytes);
    expect(r.predictions).toEqual(golden.predictions);
    expect(r.maxAbsLogitDiff!).toBeLessThanOrEqual(MAX_RELATIVE_LOGIT_DIFF * r.maxAbsReferenceLogit!);
  });
});
