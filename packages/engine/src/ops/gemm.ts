/**
 * ONNX Gemm and MatMul for a batch of one: y = α·A·op(B) + β·C with A the activation rows and B a
 * constant — float32, or a packed 1-bit weight read bit by bit (y = scale · Σ ±a, never expanded).
 */
import { elementCount } from '@onebit/core';
import { attrFloat, attrInt } from '../attributes.js';
import { UnsupportedOpError } from '../errors.js';
import type { BuildContext, OpBuilder, PlanValue } from '../op-types.js';
import { broadcastStrides } from '../broadcast.js';

/**
 * B[kk][j] (K×N, after the optional transpose) as a float, for the memory view `m` of a run: from
 * float data copied into wasm memory at load, or from packed bits (also copied there, still one bit
 * per weight) times the scale of output channel j (PACKED.md's scale is per row of the stored
 * tensor). Nothing is read from the model's own tensors at run time: loadEngineInto reuses the
 * model file's region for activations once the model is planned.
 */
function weightReader(node: Parameters<OpBuilder>[0], b: PlanValue, transB: boolean, ctx: BuildContext): { K: number; N: number; at: (m: Float32Array) => (kk: number, j: number) => number } {
  const dims = b.packed ? b.packed.dims : b.dims;
  if (dims.length !== 2) throw new UnsupportedOpError(node.opType, node.name, `a rank-${dims.length} weight '${b.name}'`);
  const [r, c] = dims as [number, number];
  const [K, N] = transB ? [c, r] : [r, c];
  const index = (kk: number, j: number) => (transB ? j * c + kk : kk * c + j);
  if (b.packed) {
    const scale = b.packed.scale.slice();
    const bytes = b.packed.bits.length;
    const addr = ctx.placeBinaryWeight(b.packed, bytes, (out, bits) => out.set(bits));
    // The scale is per row of the stored [r, c] tensor: row j when transposed, row kk otherwise.
    return { K, N, at: (m) => {
      const bits = new Uint8Array(m.buffer, addr, bytes);
      return (kk, j) => {
        const k = index(kk, j);
        const s = scale.length === 1 ? scale[0]! : scale[transB ? j : kk]!;
        return (bits[k >> 3]! >> (k & 7)) & 1 ? s : -s;
      };
    } };
  }
  if (b.constant?.dtype !== 'float32') throw new UnsupportedOpError(node.opType, node.name, `weight '${b.name}' that is not a float32 constant or a packed 1-bit weight`);
  const at0 = ctx.constantAddress(b) >> 2;
  return { K, N, at: (m) => (kk, j) => m[at0 + index(kk, j)]! };
}

function matmulBuild(node: Parameters<OpBuilder>[0], a: PlanValue, b: PlanValue, transA: boolean, transB: boolean, alpha: number, beta: number, c: PlanValue | undefined, ctx: BuildContext) {
  if (a.constant || a.packed) throw new UnsupportedOpError(node.opType, node.name, 'a constant first input');
  if (a.dims.length !== 2 || transA) throw new UnsupportedOpError(node.opType, node.name, `a first input of shape [${a.dims.join(', ')}]${transA ? ' transposed' : ''} (a [batch, features] matrix only)`);
  const w = weightReader(node, b, transB, ctx);
  const K = a.dims[1]!;
  if (K !== w.K) throw new UnsupportedOpError(node.opType, node.name, `shapes [${a.dims.join(', ')}] and [${(b.packed?.dims ?? b.dims).join(', ')}]`);
  const N = w.N;
  let bias: ((j: number) => number) | undefined;
  if (c) {
    if (c.constant?.dtype !== 'float32') throw new UnsupportedOpError(node.opType, node.name, `C '${c.name}' that is not a float32 constant`);
    const cd = (c.constant.data as Float32Array).slice(); // a copy: the model's tensors may live in memory reused at run time
    const strides = broadcastStrides(c.dims, [1, N]);
    if (elementCount(c.dims) !== 1 && elementCount(c.dims) !== N) throw new UnsupportedOpError(node.opType, node.name, `C of shape [${c.dims.join(', ')}]`);
    bias = (j) => Math.fround(beta * cd[j * strides[1]!]!);
  }
  return {
    outputs: [[1, N]],
    make: (io: { inputs: readonly number[]; outputs: readonly number[]; f32(): Float32Array }) => () => {
      const m = io.f32();
      const at = w.at(m);
      const ai = io.inputs[0]! >> 2;
      const yi = io.outputs[0]! >> 2;
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let kk = 0; kk < K; kk++) s = Math.fround(s + Math.fround(m[ai + kk]! * at(kk, j)));
        m[yi + j] = bias ? Math.fround(Math.fround(alpha * s) + bias(j)) : Math.fround(alpha * s);
      }
    },
  };
}

export const gemm: OpBuilder = (node, inputs, ctx) => {
  const [a, b, c] = inputs as [PlanValue, PlanValue, PlanValue | undefined];
  return matmulBuild(node, a, b, attrInt(node, 'transA', 0) === 1, attrInt(node, 'transB', 0) === 1, attrFloat(node, 'alpha', 1), attrFloat(node, 'beta', 1), node.inputs[2] ? c : undefined, ctx);
};

export const matMul: OpBuilder = (node, inputs, ctx) => {
  const [a, b] = inputs as [PlanValue, PlanValue];
  return matmulBuild(node, a, b, false, false, 1, 1, undefined, ctx);
};
