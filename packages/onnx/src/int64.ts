/**
 * protobufjs hands 64-bit integers back as `Long` objects (or as plain numbers when the `long`
 * package is absent). These helpers turn them into exact numbers or bigints so `Long` never leaves
 * this package; a value a number cannot hold exactly is refused, never rounded.
 */
import { LimitError } from '@onebit/core';

/** The shape protobufjs's Long has; typed structurally so no Long import is needed. */
export interface LongLike {
  low: number;
  high: number;
  unsigned: boolean;
}

export type ProtoInt64 = number | LongLike;

/** An int64 from protobufjs as a bigint (signed unless the Long says unsigned). */
export function int64ToBigInt(value: ProtoInt64 | null | undefined): bigint {
  if (value == null) return 0n;
  if (typeof value === 'number') return BigInt(value);
  const big = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return value.unsigned ? big : BigInt.asIntN(64, big);
}

/** An int64 from protobufjs as an exact number; throws LimitError naming `what` when unsafe. */
export function int64ToNumber(value: ProtoInt64 | null | undefined, what: string): number {
  if (value == null) return 0;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new LimitError(`ONNX: ${what} ${value} is not an exactly representable integer.`);
    return value;
  }
  const big = int64ToBigInt(value);
  if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new LimitError(`ONNX: ${what} ${big} exceeds the largest exact integer (2^53 − 1).`);
  }
  return Number(big);
}
