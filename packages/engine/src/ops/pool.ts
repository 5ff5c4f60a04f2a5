/**
 * ONNX AveragePool (count_include_pad 0 and 1, ceil_mode), MaxPool (dilations, ceil_mode; the
 * Indices output is not supported), GlobalAveragePool and GlobalMaxPool on one NCHW image.
 * Divisors follow onnxruntime: with count_include_pad the window is clipped to the padded input,
 * without it to the input. The 2-D pools run in the kernels (assembly/index.ts avgPool2d, maxPool2d):
 * the WRN's two shortcut AveragePools took 3.4 ms per image as a JavaScript loop (a CPU profile
 * of 23 images), ~1 ms as wasm; while they run a threaded engine's other threads wait. The global
 * pools stay here (one pass per channel).
 */
import { elementCount } from '@onebit/core';
import { attrInt, attrInts } from '../attributes.js';
import { UnsupportedOpError } from '../errors.js';
import type { OpBuilder, PlanValue } from '../op-types.js';
import { window2d } from './conv-geometry.js';

function pool(kind: 'avg' | 'max'): OpBuilder {
  return (node, inputs, ctx) => {
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
    const includePad = attrInt(node, 'count_include_pad', 0) === 1 ? 1 : 0;
    const k = ctx.kernels;
    return {
      outputs: [[1, C, g.oh, g.ow]],
      make: (io) => {
        const xa = io.inputs[0]!;
        const ya = io.outputs[0]!;
        // Arguments built once here (run() allocates nothing per call); the threads' split takes them as one list.
        const args = kind === 'avg'
          ? [xa, C, H, W, ya, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.pb, g.pr, includePad] as const
          : [xa, C, H, W, ya, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw] as const;
        return kind === 'avg'
          ? () => {
            const pool = io.threads();
            if (pool) pool.pool2d(false, args);
            else k.avgPool2d(xa, C, H, W, ya, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.pb, g.pr, includePad);
          }
          : () => {
            const pool = io.threads();
            if (pool) pool.pool2d(true, args);
            else k.maxPool2d(xa, C, H, W, ya, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw);
          };
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
