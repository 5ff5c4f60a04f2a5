/**
 * The emitted ONNX graphs, run in onnxruntime-node, against the float64 reference forward pass
 * on small MATLAB- and Keras-style networks (random bits and statistics, seeded), for packed and
 * float weights and several opsets. Packed and float must give bit-identical logits.
 */
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '@onebit/onnx';
import { createRunner } from '@onebit/validate';
import { wrnToOnnx } from './emit-onnx.js';
import { forwardReference } from './forward.js';
import { readKerasWrn } from './keras-wrn.js';
import { readMatlabWrn } from './matlab-wrn.js';
import type { WrnNetwork } from './network.js';
import { randomImages, tinyKerasWrn, tinyMatlabWrn } from './tiny-mat.fixture.js';

/** float32 onnxruntime vs float64 reference: relative to the largest |logit| of the batch. */
const FLOAT32_VS_FLOAT64_RELATIVE = 1e-5;

async function run(net: WrnNetwork, mode: 'packed' | 'float', opset: number, images: Float32Array, n: number): Promise<Float32Array> {
  const runner = await createRunner(encodeModel(wrnToOnnx(net, { weights: mode, opset })), { runtime: 'node', threads: 1 });
  try {
    return await runner.run(images, [n, 3, 32, 32]);
  } finally {
    await runner.dispose();
  }
}

const cases = [
  ['MATLAB release, 8 convs, 5 classes', readMatlabWrn(tinyMatlabWrn({ width: 4, blocksPerStage: 1, classes: 5, seed: 11 }))],
  ['Keras release, 14 convs, 100 classes', readKerasWrn(tinyKerasWrn({ width: 2, blocksPerStage: 2, classes: 100, seed: 12 }))],
] as const;

describe.each(cases)('wrnToOnnx on a %s', (_, net) => {
  const n = 3;
  const images = randomImages(n, 99);
  const expected = Array.from({ length: n }, (_, i) => forwardReference(net, images.subarray(i * 3072, (i + 1) * 3072)));

  it.each([7, 11, 13, 17])('matches the reference forward pass at opset %i, packed and float identical', async (opset) => {
    const packed = await run(net, 'packed', opset, images, n);
    const float = await run(net, 'float', opset, images, n);
    expect(Array.from(packed)).toEqual(Array.from(float));
    const k = net.numClasses;
    for (let i = 0; i < n; i++) {
      const ref = expected[i]!;
      const scale = Math.max(...Array.from(ref, Math.abs));
      for (let j = 0; j < k; j++) expect(Math.abs(packed[i * k + j]! - ref[j]!)).toBeLessThanOrEqual(FLOAT32_VS_FLOAT64_RELATIVE * scale);
    }
  });

  it('records the family and preprocessing in the model metadata', () => {
    const m = decodeModel(encodeModel(wrnToOnnx(net)));
    expect(m.metadata).toMatchObject({ 'onebit.family': net.family, 'onebit.preprocess': 'raw255', 'onebit.weights': 'packed' });
    expect(m.graph.inputs.map((v) => [v.name, v.dims])).toEqual([['input', ['N', 3, 32, 32]]]);
    expect(m.graph.outputs.map((v) => [v.name, v.dims])).toEqual([['logits', ['N', net.numClasses]]]);
  });
});
