/**
 * Fuzz target: loadEngineInto from @onebit/engine (the file written into the engine's shared
 * memory, then ONNX decoding, packed-weight recognition, op checks, shape inference, memory planning
 * with the packed weights' layouts written over their bits in the file's region, and loadEngine's
 * path for symbolic image dims) and, when a mutated model loads, one run on a zero image, so
 * kernels see whatever shapes and attributes survive the checks. Seeds: the repository's tiny test
 * models and a WRN-like graph built here with packed 1-bit weights (BN affine, Relu, binary Conv,
 * AveragePool shortcut, channel Pad, ReduceSum). Anything the engine cannot run must be a typed error.
 */
import { packSigns } from '@onebit/bits';
import { tensor } from '@onebit/core';
import { loadEngineInto } from '@onebit/engine';
import { addBinaryWeight, encodeModel, GraphBuilder } from '@onebit/onnx';
import type { Seed } from '../mutation.js';
import { repoSeeds } from '../seeds/fixture-files.js';
import type { FuzzTarget } from '../target.js';
import { onnxGenerator } from './onnx.js';

function values(n: number, salt: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.3 + salt));
}

/** input [N,3,8,8] → BN → Relu → binary Conv 3→8 → BN+Relu → binary Conv stride 2 → + (AvgPool → Pad channels) → ReduceSum. */
function wrnLike(): Uint8Array {
  const g = new GraphBuilder('fuzz-engine');
  const x = g.input('input', 'float32', ['N', 3, 8, 8]);
  const bn = (v: string, c: number, k: number) =>
    g.node('Relu', [g.node('Add', [g.node('Mul', [v, g.initializer(`bn${k}.a`, tensor('float32', [1, c, 1, 1], values(c, k)))]), g.initializer(`bn${k}.b`, tensor('float32', [1, c, 1, 1], values(c, k + 9)))])]);
  const w = (name: string, dims: number[], seed: number) => addBinaryWeight(g, name, { dims, bits: packSigns(values(dims.reduce((p, d) => p * d, 1), seed).map((v) => (v >= 0 ? 1 : -1))), scale: 0.5 });
  const c1 = g.node('Conv', [bn(x, 3, 1), w('conv1.weight', [8, 3, 3, 3], 1)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  const c2 = g.node('Conv', [bn(c1, 8, 2), w('conv2.weight', [16, 8, 3, 3], 2)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] });
  const pool = g.node('AveragePool', [c1], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2], count_include_pad: 0 });
  const padded = g.node('Pad', [pool, g.initializer('pads', tensor('int64', [8], BigInt64Array.from([0n, 4n, 0n, 0n, 0n, 4n, 0n, 0n])))]);
  const sum = g.node('ReduceSum', [g.node('Add', [c2, padded]), g.initializer('axes', tensor('int64', [2], BigInt64Array.from([2n, 3n])))], { keepdims: 0 });
  g.output('logits', 'float32', ['N', 16], sum);
  return encodeModel(g.build());
}

function seeds(): Seed[] {
  return [
    ...repoSeeds(['packages/validate/test-data/tiny.onnx', 'packages/validate/test-data/mean-rgb.onnx']),
    { name: 'generated/wrn-like packed', bytes: wrnLike() },
  ];
}

/** Images larger than this (floats) are not run, only loaded: the fuzz case must stay fast. */
const MAX_RUN_FLOATS = 1 << 16;

export const engineTarget: FuzzTarget = {
  name: 'engine',
  seeds,
  generator: onnxGenerator,
  read: async (bytes) => {
    const engine = await loadEngineInto(bytes.length, (into) => into.set(bytes));
    const dims = engine.inputShape.map((d, i) => (typeof d === 'number' ? d : i === 0 ? 1 : 4));
    const n = dims.reduce((p, d) => p * d, 1);
    if (n > MAX_RUN_FLOATS) return engine.memory;
    return engine.run(new Float32Array(n), dims);
  },
};
