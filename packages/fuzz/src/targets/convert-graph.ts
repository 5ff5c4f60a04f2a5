/**
 * Fuzz target: convert() from @onebit/convert on ONNX inputs, the async ONNX → 1-bit ONNX conversion
 * (format sniffing, decoding, binarizing Conv and Gemm weights, encoding). Seeds are the tiny test
 * models of the repository and a model built here with GraphBuilder (two Conv layers and a Gemm);
 * mutated bytes that sniff as another format or hold external data must be refused with a typed
 * error, as must graphs whose weights, shapes or attributes the binarizer cannot take.
 */
import { convert } from '@onebit/convert';
import { GraphBuilder, encodeModel } from '@onebit/onnx';
import type { Seed } from '../mutation.js';
import { repoSeeds } from '../seeds/fixture-files.js';
import type { FuzzTarget } from '../target.js';
import { onnxGenerator } from './onnx.js';

function weights(n: number, salt: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + salt) * 0.5);
}

/** input [N,3,6,6] → Conv 3×3 (3→4) → Relu → Conv 1×1 (4→2) → GlobalAveragePool → Flatten → Gemm (2→3). */
function builtModel(): Uint8Array {
  const g = new GraphBuilder('fuzz-convert');
  const x = g.input('input', 'float32', ['N', 3, 6, 6]);
  const w1 = g.initializer('conv1.weight', { dtype: 'float32', dims: [4, 3, 3, 3], data: weights(108, 1) });
  const w2 = g.initializer('conv2.weight', { dtype: 'float32', dims: [2, 4, 1, 1], data: weights(8, 2) });
  const fw = g.initializer('fc.weight', { dtype: 'float32', dims: [3, 2], data: weights(6, 3) });
  const fb = g.initializer('fc.bias', { dtype: 'float32', dims: [3], data: weights(3, 4) });
  const c1 = g.node('Conv', [x, w1], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  const c2 = g.node('Conv', [g.node('Relu', [c1]), w2]);
  const flat = g.node('Flatten', [g.node('GlobalAveragePool', [c2])]);
  g.output('logits', 'float32', ['N', 3], g.node('Gemm', [flat, fw, fb], { transB: 1 }));
  return encodeModel(g.build());
}

function seeds(): Seed[] {
  return [
    ...repoSeeds(['packages/validate/test-data/tiny.onnx', 'packages/validate/test-data/mean-rgb.onnx']),
    { name: 'generated/graph-builder conv-conv-gemm', bytes: builtModel() },
  ];
}

export const convertGraphTarget: FuzzTarget = {
  name: 'convert-graph',
  seeds,
  generator: onnxGenerator,
  read: (bytes) => convert(bytes, { fileName: 'fuzz.onnx', includeGemm: true }),
};
