/**
 * How many bytes each tensor's sections take, computed from dims and dtype alone, so the writer,
 * the reader's checks (before any allocation) and the size report agree by construction.
 */
import { rowLayout } from '@onebit/bits';
import { DTYPE_BYTES, type DType } from '@onebit/core';

/** Element count of `dims`, or undefined when it is not a safe integer. */
export function safeElementCount(dims: readonly number[]): number | undefined {
  let n = 1;
  for (const d of dims) {
    n *= d;
    if (!Number.isSafeInteger(n)) return undefined;
  }
  return n;
}

/** Bytes of a binary weight's row-padded words: rows × ⌈rowLength/32⌉ × 4. */
export function binaryDataBytes(dims: readonly number[]): number {
  const { rows, rowWords } = rowLayout(dims);
  return rows * rowWords * 4;
}

/** Bytes of a per-output-channel float32 scale: dims[0] × 4. */
export function scaleBytes(dims: readonly number[]): number {
  return (dims[0] ?? 0) * 4;
}

/** Bytes of a plain tensor's little-endian elements. */
export function floatDataBytes(dims: readonly number[], dtype: DType): number {
  return (safeElementCount(dims) ?? Number.NaN) * DTYPE_BYTES[dtype];
}
