/**
 * Element-wise ONNX ops on float32: Add, Sub, Mul, Div (with broadcasting), Relu,
 * BatchNormalization (inference form) and the fused batch-norm affine map `onebit.ChannelAffine`
 * (Mul by a per-channel constant, then Add of one, then optionally Relu; see fuse.ts). Same-shape and per-channel-constant cases run in the wasm
 * kernels; any other broadcast runs the general loop of broadcast.ts.
 */
import { elementCount, type Tensor } from '@onebit/core';
import type { OnnxNode } from '@onebit/onnx';
import { broadcastBinary, broadcastDims } from '../broadcast.js';
import { UnsupportedOpError } from '../errors.js';
import type { BuildContext, OpBuild, OpBuilder, PlanValue } from '../op-types.js';
import type { KernelThreads } from '../threads.js';
import type { EngineKernels } from '../wasm.js';

type BinaryOp = 'Add' | 'Sub' | 'Mul' | 'Div';
const FN: Record<BinaryOp, (a: number, b: number) => number> = {
  Add: (a, b) => Math.fround(a + b),
  Sub: (a, b) => Math.fround(a - b),
  Mul: (a, b) => Math.fround(a * b),
  Div: (a, b) => Math.fround(a / b),
};

function floatInput(node: OnnxNode, v: PlanValue): void {
  if (v.packed) throw new UnsupportedOpError(node.opType, node.name, `the packed 1-bit weight '${v.name}' as an operand (only Conv reads packed weights)`);
  if (v.constant && v.constant.dtype !== 'float32') throw new UnsupportedOpError(node.opType, node.name, `a ${v.constant.dtype} constant '${v.name}'`);
}

/**
 * When the constant `c` broadcast against the activation dims `x` varies at most along axis 1 (or
 * is a single value), the channel count it varies over (1 for a scalar); otherwise undefined.
 */
export function perChannel(x: readonly number[], c: readonly number[]): number | undefined {
  if (c.length > x.length) return undefined;
  const n = elementCount(c);
  if (n === 1) return 1;
  const aligned = [...new Array<number>(x.length - c.length).fill(1), ...c];
  return aligned.every((d, i) => d === 1 || (i === 1 && d === x[1])) && x.length >= 2 ? x[1] : undefined;
}

function channelStep(node: OnnxNode, x: PlanValue, c: PlanValue): { channels: number; step: number } | undefined {
  const ch = perChannel(x.dims, c.dims);
  if (ch === undefined) return undefined;
  return { channels: x.dims[1] ?? 1, step: ch === 1 ? 0 : 1 };
}

function negated(t: Tensor): Tensor {
  return { dtype: 'float32', dims: t.dims, data: (t.data as Float32Array).map((v) => -v) };
}

/** channelAffine on the engine's threads when they run (channels shared out), else on this one. */
function affine(k: EngineKernels, pool: KernelThreads | undefined, x: number, y: number, C: number, inner: number, a: number, aStep: number, b: number, bStep: number, relu: number): void {
  if (pool) pool.channelAffine(x, y, C, inner, a, aStep, b, bStep, relu);
  else k.channelAffine(x, y, C, inner, a, aStep, b, bStep, relu);
}

export function binaryOp(op: BinaryOp): OpBuilder {
  return (node, inputs, ctx): OpBuild => {
    const [a, b] = inputs as [PlanValue, PlanValue];
    floatInput(node, a);
    floatInput(node, b);
    const out = broadcastDims(a.dims, b.dims);
    if (!out) throw new UnsupportedOpError(op, node.name, `shapes [${a.dims.join(', ')}] and [${b.dims.join(', ')}] that do not broadcast`);
    const k = ctx.kernels;
    const n = elementCount(out);
    const same = (x: readonly number[]) => x.length === out.length && x.every((d, i) => d === out[i]);
    if (!a.constant && !b.constant && same(a.dims) && same(b.dims) && (op === 'Add' || op === 'Mul')) {
      if (op === 'Add') {
        return { outputs: [out], inPlace: 0, make: (io) => () => {
          const pool = io.threads();
          if (pool) pool.addSame(io.inputs[0]!, io.inputs[1]!, io.outputs[0]!, n);
          else k.addSame(io.inputs[0]!, io.inputs[1]!, io.outputs[0]!, n);
        } };
      }
      return { outputs: [out], inPlace: 0, make: (io) => () => k.mulSame(io.inputs[0]!, io.inputs[1]!, io.outputs[0]!, n) };
    }
    // Activation (op) per-channel constant: one affine pass in wasm.
    const [x, c, xFirst] = !a.constant && b.constant ? [a, b, true] : !b.constant && a.constant ? [b, a, false] : [undefined, undefined, false];
    if (x && c && same(x.dims) && (op === 'Mul' || op === 'Add' || (op === 'Sub' && xFirst))) {
      const cs = channelStep(node, x, c);
      if (cs) {
        const term = op === 'Sub' ? ctx.constantAddress({ name: `${c.name}.negated`, dims: c.dims, constant: negated(c.constant!) }) : ctx.constantAddress(c);
        const inner = n / cs.channels;
        const [mul, mulStep, add, addStep] = op === 'Mul' ? [term, cs.step, 0, 0] : [0, 0, term, cs.step];
        const xi = xFirst ? 0 : 1;
        return { outputs: [out], inPlace: xi, make: (io) => () => affine(k, io.threads(), io.inputs[xi]!, io.outputs[0]!, cs.channels, inner, mul, mulStep, add, addStep, 0) };
      }
    }
    return generalBinary(op, a, b, out, ctx);
  };
}

function generalBinary(op: BinaryOp, a: PlanValue, b: PlanValue, out: number[], ctx: BuildContext): OpBuild {
  // Copies: the model's tensors may live in memory that loadEngineInto reuses for activations.
  const ca = a.constant ? (a.constant.data as Float32Array).slice() : undefined;
  const cb = b.constant ? (b.constant.data as Float32Array).slice() : undefined;
  const na = elementCount(a.dims);
  const nb = elementCount(b.dims);
  const n = elementCount(out);
  void ctx;
  return {
    outputs: [out],
    make: (io) => () => {
      const m = io.f32();
      const av = ca ?? m.subarray(io.inputs[0]! >> 2, (io.inputs[0]! >> 2) + na);
      const bv = cb ?? m.subarray(io.inputs[1]! >> 2, (io.inputs[1]! >> 2) + nb);
      broadcastBinary(av, a.dims, bv, b.dims, m.subarray(io.outputs[0]! >> 2, (io.outputs[0]! >> 2) + n), out, FN[op]);
    },
  };
}

export const relu: OpBuilder = (node, inputs, ctx) => {
  const [x] = inputs as [PlanValue];
  floatInput(node, x);
  if (x.constant) throw new UnsupportedOpError('Relu', node.name, 'a constant input');
  const n = elementCount(x.dims);
  const k = ctx.kernels; // closures keep the kernels only, never the planning context (which holds the model)
  return { outputs: [[...x.dims]], inPlace: 0, make: (io) => () => affine(k, io.threads(), io.inputs[0]!, io.outputs[0]!, 1, n, 0, 0, 0, 0, 1) };
};

/** onebit.ChannelAffine(x, a, b; relu): y = x·a + b (a, b per-channel or scalar constants), then Relu when relu = 1. */
export const channelAffine: OpBuilder = (node, inputs, ctx) => {
  const [x, a, b] = inputs as [PlanValue, PlanValue, PlanValue];
  const ca = channelStep(node, x, a)!;
  const cb = channelStep(node, x, b)!;
  const n = elementCount(x.dims);
  const aAddr = ctx.constantAddress(a);
  const bAddr = ctx.constantAddress(b);
  const relu = node.attributes.relu?.value === 1 ? 1 : 0;
  const k = ctx.kernels;
  return {
    outputs: [[...x.dims]],
    inPlace: 0,
    make: (io) => () => affine(k, io.threads(), io.inputs[0]!, io.outputs[0]!, ca.channels, n / ca.channels, aAddr, ca.step, bAddr, cb.step, relu),
  };
};

/**
 * ONNX BatchNormalization in inference form (training_mode 0, one output), on [1, C, …]:
 * y = x·a[c] + b[c] with a = scale / sqrt(var + epsilon) and b = B − mean·a, folded at load as
 * onnxruntime's CPU kernel folds them (batch_norm.h: new_scale = scale·(var + ε)^−½,
 * new_bias = B − mean·new_scale), then one channelAffine pass.
 */
export const batchNormalization: OpBuilder = (node, inputs, ctx) => {
  const [x, scale, bias, mean, variance] = inputs as [PlanValue, PlanValue, PlanValue, PlanValue, PlanValue];
  floatInput(node, x);
  if (x.constant) throw new UnsupportedOpError('BatchNormalization', node.name, 'a constant input');
  if (node.outputs.filter(Boolean).length > 1 || node.attributes.training_mode?.value === 1) {
    throw new UnsupportedOpError('BatchNormalization', node.name, 'training mode (running statistics as outputs)');
  }
  const C = x.dims[1];
  if (x.dims.length < 2 || C === undefined) throw new UnsupportedOpError('BatchNormalization', node.name, `an input of shape [${x.dims.join(', ')}]`);
  const params = [scale, bias, mean, variance].map((v, i) => {
    if (v?.constant?.dtype !== 'float32' || v.constant.data.length !== C) {
      throw new UnsupportedOpError('BatchNormalization', node.name, `${['scale', 'B', 'input_mean', 'input_var'][i]} '${v?.name}' that is not a float32 constant of ${C} values`);
    }
    return v.constant.data as Float32Array;
  }) as [Float32Array, Float32Array, Float32Array, Float32Array];
  const epsilon = node.attributes.epsilon?.type === 'float' ? node.attributes.epsilon.value : 1e-5;
  const a = new Float32Array(C);
  const b = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    a[c] = Math.fround(params[0][c]! * Math.fround(1 / Math.fround(Math.sqrt(Math.fround(params[3][c]! + epsilon)))));
    b[c] = Math.fround(params[1][c]! - Math.fround(params[2][c]! * a[c]!));
  }
  const out = node.outputs[0]!;
  const aAddr = ctx.constantAddress({ name: `${out}.onebit.bn_a`, dims: [C], constant: { dtype: 'float32', dims: [C], data: a } });
  const bAddr = ctx.constantAddress({ name: `${out}.onebit.bn_b`, dims: [C], constant: { dtype: 'float32', dims: [C], data: b } });
  const inner = elementCount(x.dims) / C;
  const k = ctx.kernels;
  return { outputs: [[...x.dims]], inPlace: 0, make: (io) => () => affine(k, io.threads(), io.inputs[0]!, io.outputs[0]!, C, inner, aAddr, 1, bAddr, 1, 0) };
};
