/**
 * Multidirectional (NumPy) broadcasting as ONNX defines it (onnx/docs/Broadcasting.md): the
 * output shape, and a general element-wise loop over float32 operands for the shapes the
 * kernels' fast paths (same shape, per-channel constant) do not cover.
 */
import { elementCount } from '@onebit/core';

/** The broadcast shape of `a` and `b`, or undefined when they are incompatible. */
export function broadcastDims(a: readonly number[], b: readonly number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Element strides of `dims` right-aligned to `out` (0 along broadcast axes). */
export function broadcastStrides(dims: readonly number[], out: readonly number[]): number[] {
  const strides = new Array<number>(out.length).fill(0);
  let s = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    const j = out.length - dims.length + i;
    strides[j] = dims[i] === 1 ? 0 : s;
    s *= dims[i]!;
  }
  return strides;
}

/** y[i] = f(a[·], b[·]) over the broadcast shape `out`. */
export function broadcastBinary(
  a: Float32Array, aDims: readonly number[], b: Float32Array, bDims: readonly number[],
  y: Float32Array, out: readonly number[], f: (x: number, z: number) => number,
): void {
  const sa = broadcastStrides(aDims, out);
  const sb = broadcastStrides(bDims, out);
  const n = elementCount(out);
  const idx = new Array<number>(out.length).fill(0);
  let ia = 0;
  let ib = 0;
  for (let i = 0; i < n; i++) {
    y[i] = f(a[ia]!, b[ib]!);
    for (let d = out.length - 1; d >= 0; d--) {
      idx[d]!++;
      ia += sa[d]!;
      ib += sb[d]!;
      if (idx[d]! < out[d]!) break;
      ia -= sa[d]! * out[d]!;
      ib -= sb[d]! * out[d]!;
      idx[d] = 0;
    }
  }
}
