/**
 * ONNX Conv (2-D, groups, strides, pads, dilations, optional bias) on one image. A packed 1-bit
 * weight runs the table-lookup kernel (assembly/index.ts convBinary) from its bits, repacked at
 * load into that kernel's nibble layout (still one bit per weight); a float weight runs convFloat.
 */
import { elementCount } from '@onebit/core';
import type { OnnxNode } from '@onebit/onnx';
import { attrInt, attrInts } from '../attributes.js';
import { UnsupportedOpError } from '../errors.js';
import type { OpBuild, OpBuilder, PlanValue } from '../op-types.js';
import type { PackedWeight } from '../packed-weight.js';
import { window2d } from './conv-geometry.js';
import { convBinaryRows } from '../threads.js';
import { convPairs } from '../wasm.js';

/** assembly/index.ts's STRIP (output pixels per strip). */
const STRIP = 8;

/** Bytes of the nibble layout (nibbleLayoutInto) of O output channels of a weight [*, Cg, KH, KW]. */
function nibbleBytes(w: PackedWeight, O: number): number {
  const [, Cg, KH, KW] = w.dims as [number, number, number, number];
  return Math.ceil(Cg / 4) * KH * KW * Math.ceil(O / 4) * 2;
}

/**
 * Writes the kernel's nibble layout for output channels [o0, o0+O) of a weight [*, Cg, KH, KW]
 * whose bits are `bits` (PackedWeight.bits order) into `out` (nibbleBytes long):
 * byte g·Ob + ⌊o/2⌋ (Ob = 2·⌈O/4⌉), g = (⌊c/4⌋·KH + ky)·KW + kx, nibble bit j = input channel 4⌊c/4⌋ + j.
 */
function nibbleLayoutInto(out: Uint8Array, bits: Uint8Array, dims: readonly number[], o0: number, O: number): void {
  const [, Cg, KH, KW] = dims as [number, number, number, number];
  const KK = KH * KW;
  const Ob = Math.ceil(O / 4) * 2;
  out.fill(0);
  for (let o = 0; o < O; o++) {
    const base = (o0 + o) * Cg * KK;
    const shift = (o & 1) * 4;
    for (let c = 0; c < Cg; c++) {
      for (let t = 0; t < KK; t++) {
        const k = base + c * KK + t;
        if ((bits[k >> 3]! >> (k & 7)) & 1) {
          const g = (c >> 2) * KK + t;
          out[g * Ob + (o >> 1)]! |= 1 << (shift + (c & 3));
        }
      }
    }
  }
}

function floatWeights(node: OnnxNode, w: PlanValue): Float32Array {
  if (w.constant?.dtype !== 'float32') {
    throw new UnsupportedOpError(node.opType, node.name, `weight '${w.name}' that is not a float32 initializer or a packed 1-bit weight`);
  }
  return w.constant.data as Float32Array;
}

export const conv: OpBuilder = (node, inputs, ctx): OpBuild => {
  const [x, w, b] = inputs as [PlanValue, PlanValue, PlanValue | undefined];
  if (x.dims.length !== 4) throw new UnsupportedOpError('Conv', node.name, `a rank-${x.dims.length} input (the engine runs 2-D Conv only)`);
  const [, C, H, W] = x.dims as [number, number, number, number];
  const wdims = w.packed ? w.packed.dims : w.dims;
  if (wdims.length !== 4) throw new UnsupportedOpError('Conv', node.name, `a rank-${wdims.length} weight`);
  const [O, Cg, KH, KW] = wdims as [number, number, number, number];
  const group = attrInt(node, 'group', 1);
  const kernel = attrInts(node, 'kernel_shape') ?? [KH, KW];
  if (kernel[0] !== KH || kernel[1] !== KW) throw new UnsupportedOpError('Conv', node.name, `kernel_shape [${kernel.join(', ')}] unlike its weight's ${KH}×${KW}`);
  if (group < 1 || C !== Cg * group || O % group !== 0) {
    throw new UnsupportedOpError('Conv', node.name, `group ${group} for ${C} input channels and a weight [${wdims.join(', ')}]`);
  }
  const g = window2d(node, H, W, kernel);
  const Og = O / group;
  const OW8 = Math.ceil(g.ow / STRIP) * STRIP;
  const Hp = (g.oh - 1) * g.sh + (KH - 1) * g.dh + 1;
  const Wp = (OW8 - 1) * g.sw + (KW - 1) * g.dw + 1;
  let bias = 0;
  if (b) {
    if (b.constant?.dtype !== 'float32' || elementCount(b.dims) !== O) throw new UnsupportedOpError('Conv', node.name, `bias '${b.name}' that is not a float32 initializer of ${O} values`);
    bias = ctx.constantAddress(b);
  }
  const k = ctx.kernels;
  const planeIn = C === 0 ? 0 : (Cg * H * W) * 4;
  const planeOut = Og * g.oh * g.ow * 4;
  // The input is read only through its padded copy, made per group just before that group's
  // output is written: the output may take the input's buffer when no group's output reaches the
  // next group's input (the planner also checks the buffer is large enough).
  const reuseInput = group === 1 || planeOut <= planeIn ? { inPlace: 0 } : {};
  if (w.packed) {
    const pw = w.packed;
    const Cp = Math.ceil(Cg / 4) * 4;
    ctx.scratch('conv.pad', Cp * Hp * Wp * 4);
    // Table and accumulator scratch per thread (thread 0's keys are the single-threaded ones).
    const key = (name: string, t: number) => (t === 0 ? name : `${name}.${t}`);
    for (let t = 0; t < ctx.threads; t++) {
      ctx.scratch(key('conv.tab', t), k.CONV_TABLE_BYTES.value);
      ctx.scratch(key('conv.acc', t), Math.ceil(Og / 4) * 4 * 32);
    }
    const perChannel = pw.scale.length !== 1;
    const threads = ctx.threads;
    const scaleAddr = ctx.allocWeights(pw.scale.byteLength);
    new Float32Array(k.memory.buffer, scaleAddr, pw.scale.length).set(pw.scale);
    // One layout per group, one after another (each written in place: no second copy of the weight).
    const groupBytes = nibbleBytes(pw, Og);
    const layout = ctx.placeBinaryWeight(pw, groupBytes * group, (out, bits) => {
      for (let gi = 0; gi < group; gi++) nibbleLayoutInto(out.subarray(gi * groupBytes, (gi + 1) * groupBytes), bits, pw.dims, gi * Og, Og);
    });
    const groups = Array.from({ length: group }, (_, gi) => layout + gi * groupBytes);
    return {
      outputs: [[1, O, g.oh, g.ow]],
      ...reuseInput,
      make: (io) => {
        const [xa] = io.inputs as [number];
        const [ya] = io.outputs as [number];
        const pad = io.scratch('conv.pad');
        const tabs = Array.from({ length: threads }, (_, t) => io.scratch(key('conv.tab', t)));
        const accs = Array.from({ length: threads }, (_, t) => io.scratch(key('conv.acc', t)));
        // Each group's kernel arguments, built once here: run() allocates nothing per call.
        const pairs = convPairs();
        const argsOf = groups.map((wg, gi) => [
          pad, Cp, Hp, Wp, ya + gi * planeOut, Og, g.oh, g.ow, wg,
          scaleAddr + (perChannel ? gi * Og * 4 : 0), perChannel ? 1 : 0, bias ? bias + gi * Og * 4 : 0,
          KH, KW, g.sh, g.sw, g.dh, g.dw, pairs,
        ] as const);
        const padArgsOf = groups.map((_, gi) => [xa + gi * planeIn, Cg, H, W, pad, Cp, Hp, Wp, g.pt, g.pl] as const);
        const tab0 = tabs[0]!;
        const acc0 = accs[0]!;
        return () => {
          const pool = io.threads();
          for (let gi = 0; gi < group; gi++) {
            if (pool) {
              pool.convBinary(padArgsOf[gi]!, argsOf[gi]!, g.oh, tabs, accs);
            } else {
              k.padPlanes(xa + gi * planeIn, Cg, H, W, pad, Cp, Hp, Wp, g.pt, g.pl);
              convBinaryRows(k, argsOf[gi]!, tab0, acc0, 0, g.oh);
            }
          }
        };
      },
    };
  }
  const wf = floatWeights(node, w);
  const K = Cg * KH * KW;
  const Op = Math.ceil(Og / 4) * 4;
  ctx.scratch('conv.pad', Cg * Hp * Wp * 4);
  ctx.scratch('conv.patch', K * 32);
  const groups: number[] = [];
  for (let gi = 0; gi < group; gi++) {
    const wt = new Float32Array(K * Op);
    for (let o = 0; o < Og; o++) for (let kk = 0; kk < K; kk++) wt[kk * Op + o] = wf[(gi * Og + o) * K + kk]!;
    const addr = ctx.allocWeights(wt.byteLength);
    new Float32Array(k.memory.buffer, addr, wt.length).set(wt);
    groups.push(addr);
  }
  return {
    outputs: [[1, O, g.oh, g.ow]],
    ...reuseInput,
    make: (io) => {
      const [xa] = io.inputs as [number];
      const [ya] = io.outputs as [number];
      const pad = io.scratch('conv.pad');
      const patch = io.scratch('conv.patch');
      return () => {
        for (let gi = 0; gi < group; gi++) {
          k.padPlanes(xa + gi * planeIn, Cg, H, W, pad, Cg, Hp, Wp, g.pt, g.pl);
          k.convFloat(pad, Cg, Hp, Wp, ya + gi * planeOut, Og, g.oh, g.ow, groups[gi]!, bias ? bias + gi * Og * 4 : 0, KH, KW, g.sh, g.sw, g.dh, g.dw, patch);
        }
      };
    },
  };
};
