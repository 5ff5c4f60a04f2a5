/**
 * Validation adapts to the model's declared input (issue 10 item 10): case
 * validate/14-fixed-batch-dim (the same net exported with a fixed batch of 1 and with a free batch)
 * gives identical predictions; a channel-last copy of that net gets NHWC data and the same
 * predictions; a fixed batch of 4 over 10 images pads the last batch; a shape the data cannot fill
 * is one sentence naming both.
 */
import { readFileSync } from 'node:fs';
import { ModelError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { decodeModel, encodeModel } from '@onebit/onnx';
import { describe, expect, it } from 'vitest';
import { readCifar } from './cifar.js';
import { planModelInput, toChannelsLast } from './model-input.js';
import { validateModel, type ValidationReport } from './validate-model.js';

/** Batches of different sizes may sum in another order in onnxruntime's Gemm; nothing else differs. */
const MAX_ABS_LOGIT_DIFF = 1e-3;

const read = (p: string) => new Uint8Array(readFileSync(sharedPath(p)));
const cifar = readCifar(read('datasets/cifar10/test_batch_0-999.bin'));
const fixed1 = read('cases/validate/14-fixed-batch-dim/fixed-batch1.onnx');
const dynamic = read('cases/validate/14-fixed-batch-dim/dynamic.onnx');

/** dynamic.onnx with its input dims replaced (the graph is unchanged). */
function withInputDims(dims: (number | string)[]): Uint8Array {
  const m = decodeModel(dynamic);
  m.graph.inputs = [{ ...m.graph.inputs[0]!, dims }];
  return encodeModel(m);
}

/** dynamic.onnx behind a Transpose: it takes [N, 32, 32, 3] channel-last images. */
function channelLast(): Uint8Array {
  const m = decodeModel(dynamic);
  m.graph.inputs = [{ name: 'x_nhwc', elemType: 'float32', dims: ['N', 32, 32, 3] }];
  m.graph.nodes = [{ name: 'to_nchw', opType: 'Transpose', domain: '', inputs: ['x_nhwc'], outputs: ['x'], attributes: { perm: { type: 'ints', value: [0, 3, 1, 2] } }, docString: '' }, ...m.graph.nodes];
  return encodeModel(m);
}

const run = (model: Uint8Array, limit = 40): Promise<ValidationReport> => validateModel({ model, data: cifar, preprocess: 'raw255', threads: 1, limit, batchSize: 16 });

function expectSame(a: ValidationReport, b: ValidationReport): void {
  expect(a.predictions).toEqual(b.predictions);
  expect(a.logits.length).toBe(b.logits.length);
  expect(a.logits.reduce((m, v, i) => Math.max(m, Math.abs(v - b.logits[i]!)), 0)).toBeLessThanOrEqual(MAX_ABS_LOGIT_DIFF);
}

describe('case validate/14-fixed-batch-dim', () => {
  it('fixed-batch1.onnx runs one image per call and predicts exactly what dynamic.onnx predicts', async () => {
    const [a, b] = [await run(fixed1), await run(dynamic)];
    expect(a.batchSize).toBe(1);
    expect(b.batchSize).toBe(16);
    expect(a.n).toBe(40);
    expectSame(a, b);
  });

  it('a fixed batch of 4 over 10 images pads the last call and keeps only the real images', async () => {
    const [a, b] = [await run(withInputDims([4, 3, 32, 32]), 10), await run(dynamic, 10)];
    expect(a.batchSize).toBe(4);
    expectSame(a, b);
  });

  it('a channel-last [N, 32, 32, 3] input gets NHWC data and the same predictions', async () => {
    const [a, b] = [await run(channelLast()), await run(dynamic)];
    expect(a.inputLayout).toBe('NHWC');
    expect(b.inputLayout).toBe('NCHW');
    expectSame(a, b);
  });

  it('EXPECTED FAILURE: a shape the data cannot fill is one sentence naming both, before onnxruntime runs', async () => {
    await expect(run(withInputDims([1, 1, 28, 28]))).rejects.toThrow(
      new ModelError('The model\'s input "x" expects [1, 1, 28, 28] (NCHW, or NHWC with the channels last) but the data provides 3×32×32 images (channels×height×width); use images the model was made for (--size and --crop resize an image folder) or a model made for these images.', 'x'),
    );
    await expect(run(withInputDims(['N', 3072]))).rejects.toThrow('The model\'s input "x" has shape [N, 3072], not a 4-D batch of images [N, C, H, W] or [N, H, W, C], while the data provides 3×32×32 images (channels×height×width).');
  });
});

describe('planModelInput', () => {
  const geometry = { channels: 3, height: 32, width: 32 };
  it('reads the layout and the fixed batch size', () => {
    expect(planModelInput(fixed1, geometry)).toEqual({ name: 'x', layout: 'NCHW', fixedBatch: 1 });
    expect(planModelInput(dynamic, geometry)).toEqual({ name: 'x', layout: 'NCHW' });
    expect(planModelInput(withInputDims(['N', 'C', 'H', 'W']), geometry)).toEqual({ name: 'x', layout: 'NCHW' });
    expect(planModelInput(withInputDims([8, 'H', 'W', 3]), geometry)).toEqual({ name: 'x', layout: 'NHWC', fixedBatch: 8 });
    expect(planModelInput(withInputDims(['N', 3, 'H', 3]), { channels: 3, height: 3, width: 3 })).toEqual({ name: 'x', layout: 'NCHW' });
  });

  it('toChannelsLast is permute(0, 2, 3, 1)', () => {
    const src = Float32Array.from({ length: 2 * 3 * 2 }, (_, i) => i); // 2 images, 3 channels, planes of 2 pixels
    expect(Array.from(toChannelsLast(src, 2, 3, 2, new Float32Array(12)))).toEqual([0, 2, 4, 1, 3, 5, 6, 8, 10, 7, 9, 11]);
  });
});
