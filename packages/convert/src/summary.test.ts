/**
 * The one-line summary says "N classes" only when the model's first output really is
 * [N, classes] (issue 10 item 11); any other output shape is printed as it is.
 */
import { describe, expect, it } from 'vitest';
import { tensor } from '@onebit/core';
import { GraphBuilder } from '@onebit/onnx';
import { formatSummary, graphShapes, type ConversionSummary } from './summary.js';

/** x [N, 3, 4, 4] → Conv (2 filters) → y with the declared output dims. */
function model(outDims: (number | string)[]) {
  const b = new GraphBuilder('g');
  b.input('x', 'float32', ['N', 3, 4, 4]);
  b.initializer('w', tensor('float32', [2, 3, 1, 1], new Float32Array(6)));
  b.output('y', 'float32', outDims, b.node('Conv', ['x', 'w']));
  return b.build();
}

const base: Omit<ConversionSummary, 'inputShape' | 'numClasses' | 'outputShape'> = {
  inputFormat: 'ONNX model', family: 'ONNX graph', weights: 'packed', binaryLayers: 1, binaryWeights: 6, preprocess: 'raw255', outputBytes: 100, bitsPerWeight: 133.3, oneBitFloorBytes: 1, notes: {},
};

describe('graphShapes and formatSummary', () => {
  it('[N, 10] is 10 classes', () => {
    const s = graphShapes(model(['N', 10]));
    expect(s).toEqual({ inputShape: [-1, 3, 4, 4], numClasses: 10 });
    expect(formatSummary({ ...base, ...s })[1]).toBe('layers       1 binary conv layers, 10 classes, input [-1, 3, 4, 4], preprocess raw255');
  });

  it('a feature map, a 3-D output or a free class dimension is no class count', () => {
    expect(graphShapes(model(['N', 2, 4, 4]))).toEqual({ inputShape: [-1, 3, 4, 4], outputShape: [-1, 2, 4, 4] });
    expect(graphShapes(model([1, 10, 4]))).toEqual({ inputShape: [-1, 3, 4, 4], outputShape: [1, 10, 4] });
    expect(graphShapes(model(['N', 'C']))).toEqual({ inputShape: [-1, 3, 4, 4], outputShape: [-1, -1] });
    expect(formatSummary({ ...base, ...graphShapes(model(['N', 2, 4, 4])) })[1]).toBe('layers       1 binary conv layers, output [?, 2, 4, 4], input [-1, 3, 4, 4], preprocess raw255');
  });
});
