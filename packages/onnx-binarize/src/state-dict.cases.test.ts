/**
 * The shared state_dict cases of issue 10, pinned against their independently computed answers:
 * a Lightning-style checkpoint (keys under `state_dict`, prefixed `model.`) applied onto its graph
 * and binarized gives expected.onnx's logits in onnxruntime-node; a state_dict on a graph exported
 * with batch norm folded into the convs is refused with the PRESERVE export as the fix, and the
 * same state_dict on the PRESERVE-exported graph gives that case's expected.onnx.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { ModelError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { decodeModel, encodeModel } from '@onebit/onnx';
import { readTorch } from '@onebit/pytorch';
import { applyStateDict } from './state-dict.js';
import { binarizeOnnxModel } from './binarize-model.js';

/** Packed ±scale decodes to the same float32 weights as sign(w)·scale; only summation order may differ. */
const MAX_ABS_LOGIT_DIFF = 1e-5;

const read = (p: string) => new Uint8Array(readFileSync(sharedPath(`cases/convert/${p}`)));

/** 4 images of 3×8×8, a fixed pseudo-random pattern in [-2, 2). */
const INPUT = Float32Array.from({ length: 4 * 3 * 8 * 8 }, (_, i) => (((i * 2654435761) >>> 0) % 4096) / 1024 - 2);

async function logits(model: Uint8Array): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(model);
  try {
    const out = await s.run({ x: new ort.Tensor('float32', INPUT, [4, 3, 8, 8]) });
    return out['logits']!.data as Float32Array;
  } finally {
    await s.release();
  }
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

async function expectSameLogits(model: Uint8Array, expected: Uint8Array): Promise<void> {
  const [got, want] = [await logits(model), await logits(expected)];
  expect(got.length).toBe(40);
  expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(MAX_ABS_LOGIT_DIFF);
}

describe('case 10-lightning-ckpt', () => {
  const graph = decodeModel(read('10-lightning-ckpt/graph.onnx'));

  for (const file of ['plain-dict-hparams.ckpt', 'attributedict-hparams.ckpt']) {
    it(`${file}: strips 'model.', uses all 20 tensors (3 counters ignored) and gives expected.onnx's logits`, async () => {
      const { model, match } = applyStateDict(graph, readTorch(read(`10-lightning-ckpt/${file}`)).tensors);
      expect(match.prefix).toEqual({ stateDict: 'model.', graph: '' });
      expect(match.assignments).toHaveLength(17);
      expect(match.assignments.every((a) => a.rule === 'prefix' && a.key === `model.${a.initializer}`)).toBe(true);
      expect(match.ignoredKeys).toEqual(['model.bn1.num_batches_tracked', 'model.bn2.num_batches_tracked', 'model.bn3.num_batches_tracked']);
      expect(match.unusedKeys).toEqual([]);
      const { model: binary, report } = binarizeOnnxModel(model, { weights: 'packed' });
      expect(report.binarized).toBe(3);
      await expectSameLogits(encodeModel(binary), read('10-lightning-ckpt/expected.onnx'));
    });
  }

  it('the graph with its own stale values does not give those logits (the test can fail)', async () => {
    const { model } = binarizeOnnxModel(graph, { weights: 'packed' });
    const diff = maxAbsDiff(await logits(encodeModel(model)), await logits(read('10-lightning-ckpt/expected.onnx')));
    expect(diff).toBeGreaterThan(100 * MAX_ABS_LOGIT_DIFF);
  });
});

describe('case 18-bn-folded-graph-plus-state-dict', () => {
  const stateDict = () => readTorch(read('18-bn-folded-graph-plus-state-dict/state_dict.pth')).tensors;

  it('refuses the eval-mode (batch norm folded) graph, saying to export with TrainingMode.PRESERVE', () => {
    const graph = decodeModel(read('18-bn-folded-graph-plus-state-dict/graph-default-export.onnx'));
    const message = "The graph has 0 BatchNormalization nodes but the state_dict's batch norms bn1, bn2, bn3 match none, so the graph was exported with batch norm folded into the convs; export it again with torch.onnx.export(..., training=torch.onnx.TrainingMode.PRESERVE).";
    expect(() => applyStateDict(graph, stateDict())).toThrow(new ModelError(message, 'bn1'));
    expect(() => applyStateDict(graph, stateDict(), { allowUnused: true })).toThrow(message);
  });

  it("on the PRESERVE export of the same architecture gives expected.onnx's logits", async () => {
    const { model, match } = applyStateDict(decodeModel(read('10-lightning-ckpt/graph.onnx')), stateDict());
    expect(match.prefix).toEqual({ stateDict: '', graph: '' });
    expect(match.assignments).toHaveLength(17);
    const { model: binary } = binarizeOnnxModel(model, { weights: 'packed' });
    await expectSameLogits(encodeModel(binary), read('18-bn-folded-graph-plus-state-dict/expected.onnx'));
  });
});
