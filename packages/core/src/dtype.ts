/**
 * Element types of onebit tensors and the typed array that stores each one. Half and bfloat16
 * values are kept as their raw 16-bit patterns (Uint16Array), as onnxruntime-web does.
 */
import { LimitError } from './errors.js';

export interface TensorDataMap {
  float32: Float32Array;
  float64: Float64Array;
  float16: Uint16Array;
  bfloat16: Uint16Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
  bool: Uint8Array;
}

export type DType = keyof TensorDataMap;

export const DTYPE_BYTES: Readonly<Record<DType, number>> = {
  float32: 4, float64: 8, float16: 2, bfloat16: 2, int8: 1, uint8: 1, int16: 2, uint16: 2,
  int32: 4, uint32: 4, int64: 8, uint64: 8, bool: 1,
};

const CONSTRUCTORS = {
  float32: Float32Array, float64: Float64Array, float16: Uint16Array, bfloat16: Uint16Array,
  int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array,
  uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array, bool: Uint8Array,
} as const;

export function isDType(value: string): value is DType {
  return Object.prototype.hasOwnProperty.call(DTYPE_BYTES, value);
}

/**
 * A zero-filled typed array of `length` elements of `dtype`. `what` names it in the error.
 * @throws LimitError when the engine cannot allocate it (V8's own RangeError, e.g. "Array buffer
 * allocation failed" or "Invalid typed array length", becomes one sentence naming what and how big).
 */
export function allocate<D extends DType>(dtype: D, length: number, what = `an array of ${length} ${dtype} elements`): TensorDataMap[D] {
  try {
    return new CONSTRUCTORS[dtype](length) as TensorDataMap[D];
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new LimitError(`${what} needs ${length * DTYPE_BYTES[dtype]} bytes, more than this process can allocate (${e.message}).`, { cause: e });
  }
}

/**
 * Copies `count` little-endian elements of `dtype` starting at `bytes[byteOffset]` into a fresh,
 * aligned typed array (the source may be unaligned, so no view is taken).
 */
export function readElementsLE<D extends DType>(dtype: D, bytes: Uint8Array, byteOffset: number, count: number): TensorDataMap[D] {
  if (!IS_LITTLE_ENDIAN) throw new RangeError('onebit needs a little-endian host.');
  const size = DTYPE_BYTES[dtype];
  const out = allocate(dtype, count);
  new Uint8Array(out.buffer).set(bytes.subarray(byteOffset, byteOffset + count * size));
  return out;
}

const IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half (binary16) bit pattern to a number; exact. */
export function float16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >>> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? Number.NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** bfloat16 bit pattern (the high half of a float32) to a number; exact. */
export function bfloat16ToNumber(b: number): number {
  u32[0] = (b & 0xffff) << 16;
  return f32[0]!;
}

/** Any numeric tensor data to float32 (half and bfloat16 decoded from their bit patterns). */
export function toFloat32(dtype: DType, data: TensorDataMap[DType]): Float32Array {
  if (dtype === 'float32') return data as Float32Array;
  const out = new Float32Array(data.length);
  if (dtype === 'float16') for (let i = 0; i < out.length; i++) out[i] = float16ToNumber((data as Uint16Array)[i]!);
  else if (dtype === 'bfloat16') for (let i = 0; i < out.length; i++) out[i] = bfloat16ToNumber((data as Uint16Array)[i]!);
  else for (let i = 0; i < out.length; i++) out[i] = Number(data[i]!);
  return out;
}
