/**
 * ONNX AveragePool (count_include_pad 0 and 1, ceil_mode), MaxPool (dilations, ceil_mode; the
 * Indices output is not supported), GlobalAveragePool and GlobalMaxPool on one NCHW image.
 * Divisors follow onnxruntime: with count_include_pad the window is clipped to the padded input,
 * without it to the input.
 */
import { elementCount } from '@onebit/core';
import { attrInt, attrInts } from '../attributes.js';
import { UnsupportedOpError } from '../errors.js';
import type { OpBuilder, PlanValue } from '../op-types.js';
import { window2d } from './conv-geometry.js';

function pool(kind: 'avg' | 'max'): OpBuilder {
  return (node, inputs) => {
    const [x] = inputs as [PlanValue];
    if (x.dims.length !== 4 || x.constant) throw new UnsupportedOpError(node.opType, node.name, `a ${x.constant ? 'constant' : `rank-${x.dims.length}`} input (2-D pooling of activations only)`);
    if (node.outputs.length > 1 && node.outputs[1]) throw new UnsupportedOpError(node.opType, node.name, 'the Indices output');
    const [, C, H, W] = x.dims as [number, number, number, number];
    const kernel = attrInts(node, 'kernel_shape');
    if (!kernel) throw new UnsupportedOpError(node.opType, node.name, 'no kernel_shape');
    if (kind === 'avg' && node.attributes.dilations && (attrInts(node, 'dilations') ?? []).some((d) => d !== 1)) {
      throw new UnsupportedOpError(node.opType, node.name, 'dilations');
    }
    const g = window2d(node, H, W, kernel, attrInt(node, 'ceil_mode', 0) === 1);
    const includePad = attrInt(node, 'count_include_pad', 0) === 1;
    const { oh, ow } = g;
    return {
      outputs: [[1, C, oh, ow]],
      make: (io) => () => {
        const m = io.f32();
        const xi = io.inputs[0]! >> 2;
        let yi = io.outputs[0]! >> 2;
        for (let c = 0; c < C; c++) {
          const xc = xi + c * H * W;
          for (let oy = 0; oy < oh; oy++) {
            const y0 = oy * g.sh - g.pt;
            for (let ox = 0; ox < ow; ox++) {
              const x0 = ox * g.sw - g.pl;
              if (kind === 'max') {
                let best = -Infinity;
                for (let ky = 0; ky < g.kh; ky++) {
                  const iy = y0 + ky * g.dh;
                  if (iy < 0 || iy >= H) continue;
                  for (let kx = 0; kx < g.kw; kx++) {
                    const ix = x0 + kx * g.dw;
                    if (ix < 0 || ix >= W) continue;
                    const v = m[xc + iy * W + ix]!;
                    if (v > best || Number.isNaN(v)) best = v;
                  }
                }
                m[yi++] = best;
              } else {
                const ya = Math.max(y0, 0), yb = Math.min(y0 + g.kh, H);
                const xa = Math.max(x0, 0), xb = Math.min(x0 + g.kw, W);
                let s = 0;
                for (let iy = ya; iy < yb; iy++) for (let ix = xa; ix < xb; ix++) s = Math.fround(s + m[xc + iy * W + ix]!);
                const count = includePad
                  ? (Math.min(y0 + g.kh, H + g.pb) - y0) * (Math.min(x0 + g.kw, W + g.pr) - x0)
                  : (yb - ya) * (xb - xa);
                m[yi++] = Math.fround(s / count);
              }
            }
          }
        }
      },
    };
  };
}

export const averagePool = pool('avg');
export const maxPool = pool('max');

function globalPool(kind: 'avg' | 'max'): OpBuilder {
  return (node, inputs) => {
    const [x] = inputs as [PlanValue];
    if (x.dims.length < 3 || x.constant) throw new UnsupportedOpError(node.opType, node.name, `a rank-${x.dims.length} input`);
    const C = x.dims[1]!;
    const inner = elementCount(x.dims.slice(2));
    return {
      outputs: [[1, C, ...x.dims.slice(2).map(() => 1)]],
      make: (io) => () => {
        const m = io.f32();
        const xi = io.inputs[0]! >> 2;
        const yi = io.outputs[0]! >> 2;
        for (let c = 0; c < C; c++) {
          let s = kind === 'avg' ? 0 : -Infinity;
          for (let i = 0; i < inner; i++) {
            const v = m[xi + c * inner + i]!;
            s = kind === 'avg' ? Math.fround(s + v) : v > s || Number.isNaN(v) ? v : s;
          }
          m[yi + c] = kind === 'avg' ? Math.fround(s / inner) : s;
        }
      },
    };
  };
}

export const globalAveragePool = globalPool('avg');
export const globalMaxPool = globalPool('max');
