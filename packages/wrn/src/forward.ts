/**
 * A slow, obviously-correct float64 forward pass over a WrnNetwork, written as plain loops that
 * follow the authors' definitions. It is the independent check the ONNX emitter is tested
 * against on small networks; it is not meant for real workloads.
 */
import { expandBinaryWeight } from '@onebit/binarize';
import type { WrnNetwork } from './network.js';

interface Map3 {
  c: number;
  h: number;
  w: number;
  data: Float64Array;
}

export function forwardReference(net: WrnNetwork, image: Float32Array): Float64Array {
  const [c0, h0, w0] = net.inputShape;
  let x: Map3 = { c: c0, h: h0, w: w0, data: Float64Array.from(image) };
  let residual: Map3 | undefined;
  for (const l of net.layers) {
    if (l.op === 'batchnorm') {
      const out = new Float64Array(x.data.length);
      const hw = x.h * x.w;
      for (let ch = 0; ch < x.c; ch++) {
        const a = l.scale[ch]! / Math.sqrt(l.variance[ch]! + l.epsilon);
        for (let k = 0; k < hw; k++) {
          const v = a * (x.data[ch * hw + k]! - l.mean[ch]!) + l.bias[ch]!;
          out[ch * hw + k] = l.relu ? Math.max(0, v) : v;
        }
      }
      x = { ...x, data: out };
    } else if (l.op === 'conv') {
      const [co, ci, kh, kw] = l.weight.dims as [number, number, number, number];
      const wv = expandBinaryWeight(l.weight);
      const [sh, sw] = l.strides;
      const [pt, pl, pb, pr] = l.pads;
      const oh = Math.floor((x.h + pt + pb - kh) / sh) + 1;
      const ow = Math.floor((x.w + pl + pr - kw) / sw) + 1;
      const out = new Float64Array(co * oh * ow);
      for (let o = 0; o < co; o++)
        for (let y = 0; y < oh; y++)
          for (let z = 0; z < ow; z++) {
            let s = 0;
            for (let i = 0; i < ci; i++)
              for (let a = 0; a < kh; a++)
                for (let b = 0; b < kw; b++) {
                  const iy = y * sh - pt + a;
                  const iz = z * sw - pl + b;
                  if (iy < 0 || iy >= x.h || iz < 0 || iz >= x.w) continue;
                  s += wv[((o * ci + i) * kh + a) * kw + b]! * x.data[(i * x.h + iy) * x.w + iz]!;
                }
            out[(o * oh + y) * ow + z] = s;
          }
      x = { c: co, h: oh, w: ow, data: out };
    } else if (l.op === 'save-residual') {
      residual = x;
    } else if (l.op === 'add-residual') {
      let r = residual!;
      if (l.pool) {
        const { kernel: k, stride: s, pads: [pt, pl, pb, pr] } = l.pool;
        const oh = Math.floor((r.h + pt + pb - k) / s) + 1;
        const ow = Math.floor((r.w + pl + pr - k) / s) + 1;
        const out = new Float64Array(r.c * oh * ow);
        for (let ch = 0; ch < r.c; ch++)
          for (let y = 0; y < oh; y++)
            for (let z = 0; z < ow; z++) {
              let sum = 0;
              let count = 0; // padding is excluded from the average
              for (let a = 0; a < k; a++)
                for (let b = 0; b < k; b++) {
                  const iy = y * s - pt + a;
                  const iz = z * s - pl + b;
                  if (iy < 0 || iy >= r.h || iz < 0 || iz >= r.w) continue;
                  sum += r.data[(ch * r.h + iy) * r.w + iz]!;
                  count++;
                }
              out[(ch * oh + y) * ow + z] = sum / count;
            }
        r = { c: r.c, h: oh, w: ow, data: out };
      }
      const data = new Float64Array(x.data);
      for (let k = 0; k < r.data.length; k++) data[k]! += r.data[k]!; // zero channels add nothing
      x = { ...x, data };
      residual = x;
    } else {
      const hw = x.h * x.w;
      const out = new Float64Array(x.c);
      for (let ch = 0; ch < x.c; ch++) {
        let s = 0;
        for (let k = 0; k < hw; k++) s += x.data[ch * hw + k]!;
        out[ch] = l.reduce === 'sum' ? s : s / hw;
      }
      return out;
    }
  }
  return x.data;
}
