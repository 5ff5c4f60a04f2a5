/**
 * ONNX Softmax on float32: from opset 13 along `axis` (default −1); before 13 over the input
 * coerced to 2-D at `axis` (default 1). Max-subtracted for stability, as onnxruntime does.
 */
import { elementCount } from '@onebit/core';
import { attrInt } from '../attributes.js';
import { UnsupportedOpError } from '../errors.js';
import type { OpBuilder, PlanValue } from '../op-types.js';

export const softmax: OpBuilder = (node, inputs, ctx) => {
  const [x] = inputs as [PlanValue];
  if (x.constant) throw new UnsupportedOpError('Softmax', node.name, 'a constant input');
  const rank = x.dims.length;
  let axis = attrInt(node, 'axis', ctx.opset >= 13 ? -1 : 1);
  if (axis < 0) axis += rank;
  if (axis <= 0 || axis >= rank) throw new UnsupportedOpError('Softmax', node.name, `axis ${axis} for rank ${rank}`);
  const legacy = ctx.opset < 13;
  const len = legacy ? elementCount(x.dims.slice(axis)) : x.dims[axis]!;
  const inner = legacy ? 1 : elementCount(x.dims.slice(axis + 1));
  const outer = elementCount(x.dims) / (len * inner);
  return {
    outputs: [[...x.dims]],
    inPlace: 0,
    make: (io) => () => {
      const m = io.f32();
      const xi = io.inputs[0]! >> 2;
      const yi = io.outputs[0]! >> 2;
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * len * inner + i;
          let max = -Infinity;
          for (let j = 0; j < len; j++) max = Math.max(max, m[xi + base + j * inner]!);
          let sum = 0;
          for (let j = 0; j < len; j++) {
            const e = Math.fround(Math.exp(m[xi + base + j * inner]! - max));
            m[yi + base + j * inner] = e;
            sum += e;
          }
          for (let j = 0; j < len; j++) m[yi + base + j * inner] = Math.fround(m[yi + base + j * inner]! / sum);
        }
      }
    },
  };
};
