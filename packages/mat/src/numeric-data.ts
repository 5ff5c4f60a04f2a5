/**
 * Turns the stored values of a numeric data element into a typed array of the array's MATLAB class.
 * Writers store values in the smallest type that holds them exactly (a double array of 0/1 as
 * miUINT8, a uint16 array as miUINT8), so the storage type often differs from the class.
 */
import { FormatError, type TensorBudget } from '@onebit/core';
import {
  dataTypeName, miDOUBLE, miINT16, miINT32, miINT64, miINT8, miSINGLE, miUINT16, miUINT32, miUINT64, miUINT8,
} from './mat-codes.js';
import type { MatClassDataMap, MatClassName } from './mat-types.js';

type StoredArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;
type Ctor = { new (buffer: ArrayBuffer): StoredArray; new (length: number): StoredArray; readonly BYTES_PER_ELEMENT: number };

const STORAGE: Readonly<Record<number, Ctor>> = {
  [miINT8]: Int8Array, [miUINT8]: Uint8Array, [miINT16]: Int16Array, [miUINT16]: Uint16Array,
  [miINT32]: Int32Array, [miUINT32]: Uint32Array, [miSINGLE]: Float32Array, [miDOUBLE]: Float64Array,
  [miINT64]: BigInt64Array, [miUINT64]: BigUint64Array,
};

const CLASS_ARRAYS: { readonly [C in MatClassName]: { new (length: number): MatClassDataMap[C]; readonly BYTES_PER_ELEMENT: number } } = {
  double: Float64Array, single: Float32Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array,
  uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array,
};

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** True when `type` is a data type numeric values may be stored as. */
export function isNumericStorage(type: number): boolean {
  return STORAGE[type] !== undefined;
}

/** Copies `bytes` into an aligned array of the storage type, swapping bytes when the file's order differs from the host's. */
function decodeStored(type: number, bytes: Uint8Array, littleEndian: boolean): StoredArray {
  const ctor = STORAGE[type]!;
  const size = ctor.BYTES_PER_ELEMENT;
  const copy = bytes.slice();
  if (size > 1 && littleEndian !== HOST_LITTLE_ENDIAN) {
    for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
  }
  return new ctor(copy.buffer);
}

/** Bytes per element of the typed array that holds `className` values (8 for double, 1 for int8, …). */
export function classBytes(className: MatClassName): number {
  return CLASS_ARRAYS[className].BYTES_PER_ELEMENT;
}

/**
 * The `count` values of a numeric data element as an array of `className`. Throws a FormatError
 * (before allocating) when the element's byte count does not hold exactly `count` stored values, and
 * charges `count` × the class's bytes per element to `budget` before allocating (values stored as
 * uint8 may widen eightfold to double), so a LimitError comes before any allocation too.
 */
export function decodeNumeric<C extends MatClassName>(
  className: C, type: number, bytes: Uint8Array, count: number, littleEndian: boolean,
  where: { format: string; offset: number; what: string }, budget?: TensorBudget,
): MatClassDataMap[C] {
  const ctor = STORAGE[type];
  if (!ctor) {
    throw new FormatError(where.format, `${where.what} at byte ${where.offset} has type ${dataTypeName(type)}, which cannot hold ${className} values.`, where.offset);
  }
  if (bytes.length !== count * ctor.BYTES_PER_ELEMENT) {
    throw new FormatError(where.format, `${where.what} at byte ${where.offset} has ${bytes.length} bytes but ${count} ${dataTypeName(type)} values need ${count * ctor.BYTES_PER_ELEMENT}.`, where.offset);
  }
  budget?.charge(where.format, `${where.what} at byte ${where.offset} (${count} ${className} values stored as ${dataTypeName(type)})`, count * classBytes(className));
  const stored = decodeStored(type, bytes, littleEndian);
  const target = CLASS_ARRAYS[className];
  if (stored instanceof target) return stored as MatClassDataMap[C];
  const out = new target(count);
  const storedBig = stored instanceof BigInt64Array || stored instanceof BigUint64Array;
  const outBig = out instanceof BigInt64Array || out instanceof BigUint64Array;
  if (storedBig === outBig) {
    (out as { set(a: ArrayLike<number | bigint>): void }).set(stored);
  } else if (outBig) {
    for (let i = 0; i < count; i++) {
      const v = Number(stored[i]!);
      (out as BigInt64Array)[i] = Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
    }
  } else {
    for (let i = 0; i < count; i++) (out as Float64Array)[i] = Number(stored[i]!);
  }
  return out;
}
