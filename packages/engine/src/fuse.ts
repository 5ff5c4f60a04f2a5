/**
 * Fuses the batch-norm affine map onebit's converters emit — Mul(x, a) → Add(·, b) [→ Relu], with
 * a and b float32 constants varying at most along the channel axis — into one internal
 * `onebit.ChannelAffine` node, so the engine makes one pass over the activation instead of three.
 * The arithmetic is unchanged (x·a then + b, each rounded to float32, then max(·, 0)).
 */
import type { Tensor } from '@onebit/core';
import type { OnnxNode } from '@onebit/onnx';
import { perChannel } from './ops/elementwise.js';

export interface FuseContext {
  /** How many nodes read each value (graph outputs count as a reader). */
  readonly readers: ReadonlyMap<string, number>;
  readonly constants: ReadonlyMap<string, Tensor>;
  /** A runtime value's shape for one image, once planned. */
  dimsOf(value: string): readonly number[] | undefined;
}

/**
 * When nodes[i] starts a fusable Mul → Add [→ Relu] chain (consecutive, each intermediate read
 * once), the fused node and how many nodes it replaces; otherwise undefined.
 */
export function fuseChannelAffineAt(nodes: readonly OnnxNode[], i: number, ctx: FuseContext): { node: OnnxNode; count: number } | undefined {
  const mul = nodes[i]!;
  const add = nodes[i + 1];
  const single = (v: string) => ctx.readers.get(v) === 1;
  const floatConst = (v: string | undefined) => (v !== undefined && ctx.constants.get(v)?.dtype === 'float32' ? ctx.constants.get(v) : undefined);
  if (mul.opType !== 'Mul' || add?.opType !== 'Add' || !single(mul.outputs[0]!)) return undefined;
  const xi = floatConst(mul.inputs[1]) ? 0 : floatConst(mul.inputs[0]) ? 1 : -1;
  if (xi < 0) return undefined;
  const x = mul.inputs[xi]!;
  const a = mul.inputs[1 - xi]!;
  const bIndex = add.inputs[0] === mul.outputs[0] ? 1 : add.inputs[1] === mul.outputs[0] ? 0 : -1;
  const b = bIndex >= 0 ? add.inputs[bIndex] : undefined;
  const xDims = ctx.constants.has(x) ? undefined : ctx.dimsOf(x);
  const ta = floatConst(a);
  const tb = floatConst(b);
  if (!xDims || !ta || !tb || ta.dims.length > xDims.length || tb.dims.length > xDims.length) return undefined;
  if (perChannel(xDims, ta.dims) === undefined || perChannel(xDims, tb.dims) === undefined) return undefined;
  const relu = nodes[i + 2];
  const withRelu = relu?.opType === 'Relu' && relu.inputs[0] === add.outputs[0] && single(add.outputs[0]!);
  return {
    node: {
      name: `${mul.name || mul.outputs[0]}+affine`,
      opType: 'onebit.ChannelAffine',
      domain: '',
      inputs: [x, a, b!],
      outputs: [withRelu ? relu.outputs[0]! : add.outputs[0]!],
      attributes: { relu: { type: 'int', value: withRelu ? 1 : 0 } },
      docString: '',
    },
    count: withRelu ? 3 : 2,
  };
}
