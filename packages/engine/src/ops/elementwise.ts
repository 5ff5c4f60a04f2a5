/**
 * Element-wise ONNX ops on float32: Add, Sub, Mul, Div (with broadcasting), Relu, and the fused
 * batch-norm affine map `onebit.ChannelAffine` (Mul by a per-channel constant, then Add of one,
 * then optionally Relu; see fuse.ts). Same-shape and per-channel-constant cases run in the wasm
 * kernels; any other broadcast runs the general loop of broadcast.ts.
 */
import { elementCount, type Tensor } from '@onebit/core';
import type { OnnxNode } from '@onebit/onnx';
import { broadcastBinary, broadcastDims } from '../broadcast.js';
import { UnsupportedOpError } from '../errors.js';
import type { BuildContext, OpBuild, OpBuilder, PlanValue } from '../op-types.js';

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
      const f = op === 'Add' ? k.addSame : k.mulSame;
      return { outputs: [out], inPlace: 0, make: (io) => () => f(io.inputs[0]!, io.inputs[1]!, io.outputs[0]!, n) };
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
        return { outputs: [out], inPlace: xi, make: (io) => () => k.channelAffine(io.inputs[xi]!, io.outputs[0]!, cs.channels, inner, mul, mulStep, add, addStep, 0) };
      }
    }
    return generalBinary(op, a, b, out, ctx);
  };
}

function generalBinary(op: BinaryOp, a: PlanValue, b: PlanValue, out: number[], ctx: BuildContext): OpBuild {
  const ca = a.constant ? (a.constant.data as Float32Array) : undefined;
  const cb = b.constant ? (b.constant.data as Float32Array) : undefined;
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
  return { outputs: [[...x.dims]], inPlace: 0, make: (io) => () => ctx.kernels.channelAffine(io.inputs[0]!, io.outputs[0]!, 1, n, 0, 0, 0, 0, 1) };
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
  return {
    outputs: [[...x.dims]],
    inPlace: 0,
    make: (io) => () => ctx.kernels.channelAffine(io.inputs[0]!, io.outputs[0]!, ca.channels, n / ca.channels, aAddr, ca.step, bAddr, cb.step, relu),
  };
};
