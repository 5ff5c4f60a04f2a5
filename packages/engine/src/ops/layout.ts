/**
 * ONNX ops that move or reshape data without arithmetic: Reshape, Flatten, Identity, Squeeze,
 * Unsqueeze (aliases of their input's bytes), Concat, Pad (constant mode) and Slice.
 * Shapes are for one image; a shape that would mix images (the batch axis 0) is refused at load.
 */
import { elementCount } from '@onebit/core';
import { attrFloat, attrInt, attrInts, attrString, constInts } from '../attributes.js';
import { UnsupportedOpError } from '../errors.js';
import type { OpBuild, OpBuilder, PlanValue } from '../op-types.js';

function activation(node: { opType: string; name: string }, x: PlanValue): void {
  if (x.constant || x.packed) throw new UnsupportedOpError(node.opType, node.name, `the constant '${x.name}' as its data input (constant folding is not implemented)`);
}

function aliasOf(x: PlanValue, out: number[], node: { opType: string; name: string }): OpBuild {
  if (out[0] !== 1 || elementCount(out) !== elementCount(x.dims)) throw new UnsupportedOpError(node.opType, node.name, `an output shape [${out.join(', ')}] that does not keep the batch axis`);
  return { outputs: [out], alias: true, make: () => () => {} };
}

export const reshape: OpBuilder = (node, inputs) => {
  const [x, shapeIn] = inputs as [PlanValue, PlanValue];
  activation(node, x);
  const shape = constInts(node, 1, shapeIn?.constant);
  const allowZero = attrInt(node, 'allowzero', 0) === 1;
  const n = elementCount(x.dims);
  const out = shape.map((d, i) => (d === 0 && !allowZero ? x.dims[i]! : d));
  const unknown = out.indexOf(-1);
  if (unknown >= 0) {
    const known = out.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    out[unknown] = known === 0 ? 0 : n / known;
  }
  // A batch of one: a literal leading N (e.g. Reshape to [N, −1] written as [50, −1]) cannot be honoured per image.
  if (out.some((d) => !Number.isInteger(d) || d < 0) || elementCount(out) !== n) {
    throw new UnsupportedOpError('Reshape', node.name, `shape [${shape.join(', ')}] for one image of shape [${x.dims.join(', ')}]`);
  }
  return aliasOf(x, out, node);
};

export const flatten: OpBuilder = (node, inputs) => {
  const [x] = inputs as [PlanValue];
  activation(node, x);
  let axis = attrInt(node, 'axis', 1);
  if (axis < 0) axis += x.dims.length;
  if (axis < 1) throw new UnsupportedOpError('Flatten', node.name, `axis ${attrInt(node, 'axis', 1)} (merges the batch axis)`);
  return aliasOf(x, [elementCount(x.dims.slice(0, axis)), elementCount(x.dims.slice(axis))], node);
};

export const identity: OpBuilder = (node, inputs) => {
  const [x] = inputs as [PlanValue];
  activation(node, x);
  return aliasOf(x, [...x.dims], node);
};

function axesOf(node: Parameters<OpBuilder>[0], inputs: PlanValue[]): number[] | undefined {
  return inputs[1] ? constInts(node, 1, inputs[1].constant) : attrInts(node, 'axes');
}

export const squeeze: OpBuilder = (node, inputs) => {
  const x = inputs[0]!;
  activation(node, x);
  const rank = x.dims.length;
  const axes = (axesOf(node, inputs) ?? x.dims.flatMap((d, i) => (d === 1 && i > 0 ? [i] : []))).map((a) => (a < 0 ? a + rank : a));
  if (axes.some((a) => a <= 0 || a >= rank || x.dims[a] !== 1)) throw new UnsupportedOpError('Squeeze', node.name, `axes [${axes.join(', ')}] of shape [${x.dims.join(', ')}]`);
  return aliasOf(x, x.dims.filter((_, i) => !axes.includes(i)), node);
};

export const unsqueeze: OpBuilder = (node, inputs) => {
  const x = inputs[0]!;
  activation(node, x);
  const axes = axesOf(node, inputs);
  if (!axes) throw new UnsupportedOpError('Unsqueeze', node.name, 'no axes');
  const rank = x.dims.length + axes.length;
  const norm = axes.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  if (norm[0] === 0) throw new UnsupportedOpError('Unsqueeze', node.name, 'a new axis 0 before the batch axis');
  const out = [...x.dims];
  for (const a of norm) out.splice(a, 0, 1);
  return aliasOf(x, out, node);
};

/** Row-major strides of `dims`. */
function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1]! * dims[i + 1]!;
  return s;
}

export const concat: OpBuilder = (node, inputs) => {
  const rank = inputs[0]!.dims.length;
  let axis = attrInt(node, 'axis', 1);
  if (axis < 0) axis += rank;
  if (axis <= 0 || axis >= rank) throw new UnsupportedOpError('Concat', node.name, `axis ${attrInt(node, 'axis', 1)} for rank ${rank}`);
  for (const v of inputs) {
    if (v.packed || (v.constant && v.constant.dtype !== 'float32')) throw new UnsupportedOpError('Concat', node.name, `input '${v.name}' that is not float32`);
    if (v.dims.length !== rank || v.dims.some((d, i) => i !== axis && d !== inputs[0]!.dims[i])) {
      throw new UnsupportedOpError('Concat', node.name, `input shapes [${inputs.map((i) => i.dims.join('×')).join('], [')}] along axis ${axis}`);
    }
  }
  const out = [...inputs[0]!.dims];
  out[axis] = inputs.reduce((s, v) => s + v.dims[axis]!, 0);
  const outer = elementCount(out.slice(0, axis));
  const blocks = inputs.map((v) => elementCount(v.dims.slice(axis)));
  // Constant inputs copied now: the model's tensors may live in memory reused for activations.
  const consts = inputs.map((v) => (v.constant?.data as Float32Array | undefined)?.slice());
  const total = elementCount(out.slice(axis));
  return {
    outputs: [out],
    make: (io) => () => {
      const m = io.f32();
      const y = io.outputs[0]! >> 2;
      let off = 0;
      inputs.forEach((_, j) => {
        const b = blocks[j]!;
        const c = consts[j];
        const x = io.inputs[j]! >> 2;
        for (let o = 0; o < outer; o++) {
          if (c) m.set(c.subarray(o * b, (o + 1) * b), y + o * total + off);
          else m.copyWithin(y + o * total + off, x + o * b, x + (o + 1) * b);
        }
        off += b;
      });
    },
  };
};

/** Copies the box `start` (may be negative: leading zeros) of size `outDims` of x into y, zero outside x. */
function padCopy(m: Float32Array, x: number, xDims: readonly number[], y: number, outDims: readonly number[], start: readonly number[], value: number): void {
  const n = elementCount(outDims);
  m.fill(value, y, y + n);
  const xs = stridesOf(xDims);
  const rank = xDims.length;
  // Iterate over the rows (last axis) of the output that overlap x.
  const last = rank - 1;
  const rows = n / (outDims[last] ?? 1);
  const lo = Math.max(0, -start[last]!);
  const hi = Math.min(outDims[last]!, xDims[last]! - start[last]!);
  for (let r = 0; r < rows; r++) {
    let rem = r;
    let src = 0;
    let inside = true;
    for (let d = last - 1; d >= 0; d--) {
      const q = rem % outDims[d]!;
      rem = (rem - q) / outDims[d]!;
      const i = q + start[d]!;
      if (i < 0 || i >= xDims[d]!) { inside = false; break; }
      src += i * xs[d]!;
    }
    if (!inside || hi <= lo) continue;
    const rowStart = y + r * outDims[last]!;
    // copyWithin, not set(subarray): no view object per row (a Pad of C·H rows made ~0.5 MB of
    // garbage per image, and with it the young generation the engine's peak RSS pays for).
    m.copyWithin(rowStart + lo, x + src + lo + start[last]!, x + src + hi + start[last]!);
  }
}

export const pad: OpBuilder = (node, inputs, ctx) => {
  const [x, padsIn, valueIn, axesIn] = inputs as [PlanValue, PlanValue | undefined, PlanValue | undefined, PlanValue | undefined];
  activation(node, x);
  const mode = attrString(node, 'mode', 'constant');
  if (mode !== 'constant') throw new UnsupportedOpError('Pad', node.name, `mode '${mode}'`);
  const rank = x.dims.length;
  const raw = ctx.opset >= 11 ? constInts(node, 1, padsIn?.constant) : attrInts(node, 'pads') ?? [];
  let value = ctx.opset >= 11 ? 0 : attrFloat(node, 'value', 0);
  if (ctx.opset >= 11 && valueIn && node.inputs[2]) {
    if (valueIn.constant?.dtype !== 'float32') throw new UnsupportedOpError('Pad', node.name, 'a constant_value that is not a float32 constant');
    value = (valueIn.constant.data as Float32Array)[0] ?? 0;
  }
  const axes = axesIn && node.inputs[3] ? constInts(node, 3, axesIn.constant).map((a) => (a < 0 ? a + rank : a)) : x.dims.map((_, i) => i);
  if (raw.length !== 2 * axes.length) throw new UnsupportedOpError('Pad', node.name, `${raw.length} pads for ${axes.length} axes`);
  const begin = new Array<number>(rank).fill(0);
  const end = new Array<number>(rank).fill(0);
  axes.forEach((a, i) => {
    begin[a] = raw[i]!;
    end[a] = raw[i + axes.length]!;
  });
  if (begin[0] !== 0 || end[0] !== 0) throw new UnsupportedOpError('Pad', node.name, 'padding of the batch axis');
  const out = x.dims.map((d, i) => d + begin[i]! + end[i]!);
  if (out.some((d) => d < 0)) throw new UnsupportedOpError('Pad', node.name, `pads [${raw.join(', ')}] that crop below zero`);
  const start = begin.map((b) => -b);
  return {
    outputs: [out],
    make: (io) => () => padCopy(io.f32(), io.inputs[0]! >> 2, x.dims, io.outputs[0]! >> 2, out, start, value),
  };
};

/**
 * The window ONNX Slice (opset ≥ 10 semantics) selects from a tensor of shape `dims`: per axis, the
 * first index, the step and the output length, with starts/ends clamped as the ONNX spec says
 * (negative values count from the end; for negative steps the range is [−1, d − 1]). Axes below
 * `minAxis`, out of range, or with step 0 go to `reject(axis as given, step)`, which must throw.
 */
export function sliceWindow(
  dims: readonly number[], starts: readonly number[], ends: readonly number[], axes: readonly number[], steps: readonly number[],
  minAxis: number, reject: (axis: number, step: number) => never,
): { first: number[]; step: number[]; out: number[] } {
  const rank = dims.length;
  const first = new Array<number>(rank).fill(0);
  const step = new Array<number>(rank).fill(1);
  const out = [...dims];
  axes.forEach((a0, i) => {
    const a = a0 < 0 ? a0 + rank : a0;
    const s = steps[i]!;
    if (a < minAxis || a >= rank || s === 0) reject(a0, s);
    const d = dims[a]!;
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
    const b = s > 0 ? clamp(starts[i]!, 0, d) : clamp(starts[i]!, -1, d - 1);
    const e = s > 0 ? clamp(ends[i]!, 0, d) : clamp(ends[i]!, -1, d - 1);
    first[a] = b;
    step[a] = s;
    out[a] = Math.max(0, Math.ceil((e - b) / s));
  });
  return { first, step, out };
}

export const slice: OpBuilder = (node, inputs, ctx) => {
  const x = inputs[0]!;
  activation(node, x);
  const rank = x.dims.length;
  const fromInputs = ctx.opset >= 10;
  const starts = fromInputs ? constInts(node, 1, inputs[1]?.constant) : attrInts(node, 'starts') ?? [];
  const ends = fromInputs ? constInts(node, 2, inputs[2]?.constant) : attrInts(node, 'ends') ?? [];
  const axes = (fromInputs && inputs[3] && node.inputs[3] ? constInts(node, 3, inputs[3].constant) : fromInputs ? undefined : attrInts(node, 'axes')) ?? starts.map((_, i) => i);
  const steps = fromInputs && inputs[4] && node.inputs[4] ? constInts(node, 4, inputs[4].constant) : starts.map(() => 1);
  const { first, step, out } = sliceWindow(x.dims, starts, ends, axes, steps, 1, (a0, s) => {
    throw new UnsupportedOpError('Slice', node.name, `axis ${a0} with step ${s}`);
  });
  const xs = stridesOf(x.dims);
  const n = elementCount(out);
  return {
    outputs: [out],
    make: (io) => () => {
      const m = io.f32();
      const xi = io.inputs[0]! >> 2;
      const yi = io.outputs[0]! >> 2;
      const idx = new Array<number>(rank).fill(0);
      for (let j = 0; j < n; j++) {
        let src = xi;
        for (let d = 0; d < rank; d++) src += (first[d]! + idx[d]! * step[d]!) * xs[d]!;
        m[yi + j] = m[src]!;
        for (let d = rank - 1; d >= 0; d--) {
          if (++idx[d]! < out[d]!) break;
          idx[d] = 0;
        }
      }
    },
  };
};
