/**
 * Output size and explicit pads of an N-D window op (Conv, AveragePool, MaxPool) from its ONNX
 * attributes (onnx/docs/Operators.md, Conv and AveragePool: auto_pad, pads, strides, dilations,
 * ceil_mode). Two spatial dimensions only.
 */
import type { OnnxNode } from '@onebit/onnx';
import { attrInt, attrInts, attrString } from '../attributes.js';
import { UnsupportedOpError } from '../errors.js';

export interface Window2d {
  kh: number; kw: number;
  sh: number; sw: number;
  dh: number; dw: number;
  pt: number; pl: number; pb: number; pr: number;
  oh: number; ow: number;
}

/** Window geometry for input H×W and kernel kh×kw. */
export function window2d(node: OnnxNode, H: number, W: number, kernel: readonly number[], ceilMode = false): Window2d {
  if (kernel.length !== 2) throw new UnsupportedOpError(node.opType, node.name, `${kernel.length} spatial dimensions (the engine runs 2-D only)`);
  const [kh, kw] = kernel as [number, number];
  const [sh, sw] = (attrInts(node, 'strides') ?? [1, 1]) as [number, number];
  const [dh, dw] = (attrInts(node, 'dilations') ?? [1, 1]) as [number, number];
  if (![kh, kw, sh, sw, dh, dw].every((v) => Number.isSafeInteger(v) && v >= 1)) {
    throw new UnsupportedOpError(node.opType, node.name, `kernel ${kh}×${kw}, strides ${sh}×${sw}, dilations ${dh}×${dw} (all must be positive integers)`);
  }
  const ekh = (kh - 1) * dh + 1;
  const ekw = (kw - 1) * dw + 1;
  const autoPad = attrString(node, 'auto_pad', 'NOTSET');
  let pt = 0, pl = 0, pb = 0, pr = 0;
  if (autoPad === 'NOTSET') {
    const pads = attrInts(node, 'pads') ?? [0, 0, 0, 0];
    if (pads.length !== 4 || pads.some((p) => !Number.isSafeInteger(p) || p < 0)) throw new UnsupportedOpError(node.opType, node.name, `pads [${pads.join(', ')}]`);
    [pt, pl, pb, pr] = pads as [number, number, number, number];
  } else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const total = (n: number, s: number, ek: number) => Math.max(0, (Math.ceil(n / s) - 1) * s + ek - n);
    const th = total(H, sh, ekh);
    const tw = total(W, sw, ekw);
    const small = (t: number) => Math.floor(t / 2);
    if (autoPad === 'SAME_UPPER') [pt, pl, pb, pr] = [small(th), small(tw), th - small(th), tw - small(tw)];
    else [pt, pl, pb, pr] = [th - small(th), tw - small(tw), small(th), small(tw)];
  } else if (autoPad !== 'VALID') {
    throw new UnsupportedOpError(node.opType, node.name, `auto_pad '${autoPad}'`);
  }
  const out = (n: number, a: number, b: number, ek: number, s: number) => {
    const span = n + a + b - ek;
    if (span < 0) throw new UnsupportedOpError(node.opType, node.name, `a window of ${ek} larger than the padded input ${n + a + b}`);
    let o = (ceilMode ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
    // With ceil_mode the last window must start inside the input or its leading pad (onnxruntime, PyTorch).
    if (ceilMode && (o - 1) * s >= n + a) o--;
    return o;
  };
  return { kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, oh: out(H, pt, pb, ekh, sh), ow: out(W, pl, pr, ekw, sw) };
}
