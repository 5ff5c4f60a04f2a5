/**
 * ONNX ReduceSum, ReduceMean and ReduceMax on float32: axes from the attribute (older opsets) or
 * the second input (ReduceSum from opset 13, the others from 18), keepdims, noop_with_empty_axes.
 */
import { elementCount } from '@onebit/core';
import { attrInt, attrInts, constInts } from '../attributes.js';
import { UnsupportedOpError } from '../errors.js';
import type { OpBuilder, PlanValue } from '../op-types.js';

type Kind = 'sum' | 'mean' | 'max';

function reduce(kind: Kind): OpBuilder {
  return (node, inputs) => {
    const [x, axesIn] = inputs as [PlanValue, PlanValue | undefined];
    if (x.constant) throw new UnsupportedOpError(node.opType, node.name, 'a constant input');
    const rank = x.dims.length;
    let axes = axesIn ? constInts(node, 1, axesIn.constant) : attrInts(node, 'axes');
    if (!axes || axes.length === 0) {
      axes = attrInt(node, 'noop_with_empty_axes', 0) === 1 ? [] : x.dims.map((_, i) => i);
    }
    const norm = axes.map((a) => (a < 0 ? a + rank : a));
    if (norm.some((a) => a < 0 || a >= rank)) throw new UnsupportedOpError(node.opType, node.name, `axes [${axes.join(', ')}] for a rank-${rank} input`);
    if (norm.includes(0) && rank > 0) throw new UnsupportedOpError(node.opType, node.name, 'a reduction over the batch axis 0');
    const keep = attrInt(node, 'keepdims', 1) === 1;
    const reduced = new Set(norm);
    const outKeep = x.dims.map((d, i) => (reduced.has(i) ? 1 : d));
    const out = keep ? outKeep : x.dims.filter((_, i) => !reduced.has(i));
    const n = elementCount(x.dims);
    const nOut = elementCount(outKeep);
    const count = n / Math.max(nOut, 1);
    // Output index of each input element: strides of outKeep with 0 on reduced axes.
    const strides: number[] = new Array<number>(rank).fill(0);
    let s = 1;
    for (let i = rank - 1; i >= 0; i--) {
      strides[i] = reduced.has(i) ? 0 : s;
      s *= outKeep[i]!;
    }
    return {
      outputs: [out],
      make: (io) => () => {
        const m = io.f32();
        const xi = io.inputs[0]! >> 2;
        const yi = io.outputs[0]! >> 2;
        m.fill(kind === 'max' ? -Infinity : 0, yi, yi + nOut);
        const idx = new Array<number>(rank).fill(0);
        let o = 0;
        for (let i = 0; i < n; i++) {
          const v = m[xi + i]!;
          const cur = m[yi + o]!;
          m[yi + o] = kind === 'max' ? (v > cur || Number.isNaN(v) ? v : cur) : Math.fround(cur + v);
          for (let d = rank - 1; d >= 0; d--) {
            idx[d]!++;
            o += strides[d]!;
            if (idx[d]! < x.dims[d]!) break;
            o -= strides[d]! * x.dims[d]!;
            idx[d] = 0;
          }
        }
        if (kind === 'mean') for (let j = 0; j < nOut; j++) m[yi + j] = Math.fround(m[yi + j]! / count);
      },
    };
  };
}

export const reduceSum = reduce('sum');
export const reduceMean = reduce('mean');
export const reduceMax = reduce('max');
