/**
 * torch storages: the flat typed buffers that tensors view. A checkpoint's pickle refers to them
 * by persistent id `('storage', torch.<Type>Storage, key, location, numel[, view_metadata])`; the
 * bytes live elsewhere (a zip entry `data/<key>`, or after the pickle in the legacy format) and are
 * attached once read.
 */
import { DTYPE_BYTES, type DType, FormatError, type TensorDataMap, readElementsLE } from '@onebit/core';
import { PickleGlobal, describeValue } from './pickle-value.js';

/** torch storage class name → element type. */
export const STORAGE_DTYPES: Readonly<Record<string, DType>> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
};

export class TorchStorage {
  private elementsCache: TensorDataMap[DType] | undefined;
  private rawBytes: Uint8Array | undefined;

  constructor(
    readonly key: string,
    readonly dtype: DType,
    /** Element count declared by the persistent id. */
    readonly numel: number,
    /** For a legacy storage view: the storage it views and its first element there. */
    readonly base?: { storage: TorchStorage; offset: number },
  ) {}

  get loaded(): boolean {
    return this.base ? this.base.storage.loaded : this.rawBytes !== undefined;
  }

  /** Attaches the little-endian bytes (already byte-swapped if the file was big-endian). */
  attach(bytes: Uint8Array, format: string, offset?: number): void {
    const need = this.numel * DTYPE_BYTES[this.dtype];
    if (bytes.length < need) {
      throw new FormatError(format, `storage '${this.key}' declares ${this.numel} ${this.dtype} elements (${need} bytes) but its data has only ${bytes.length} bytes.`, offset);
    }
    this.rawBytes = bytes;
  }

  /** The storage's elements; decoded once. */
  elements(format: string): TensorDataMap[DType] {
    if (this.elementsCache) return this.elementsCache;
    if (this.base) {
      const all = this.base.storage.elements(format);
      if (this.base.offset + this.numel > all.length) {
        throw new FormatError(format, `storage view '${this.key}' covers elements ${this.base.offset}..${this.base.offset + this.numel} of a ${all.length}-element storage.`);
      }
      this.elementsCache = all.subarray(this.base.offset, this.base.offset + this.numel);
    } else {
      if (!this.rawBytes) throw new FormatError(format, `storage '${this.key}' is referenced by a tensor but its data was never found.`);
      this.elementsCache = readElementsLE(this.dtype, this.rawBytes, 0, this.numel);
    }
    return this.elementsCache;
  }
}

export interface StorageId {
  dtype: DType;
  key: string;
  location: string;
  numel: number;
  /** Legacy storage views: `(view_key, offset, view_size)`. */
  view?: { key: string; offset: number; numel: number };
}

/** Checks a persistent id tuple and names what is wrong with it. */
export function parseStorageId(pid: unknown, format: string, offset: number): StorageId {
  const bad = (why: string): never => {
    throw new FormatError(format, `persistent id at byte ${offset} ${why}.`, offset);
  };
  if (!Array.isArray(pid) || pid.length < 5) return bad(`is ${describeValue(pid)}, not a ('storage', type, key, location, numel) tuple`);
  const [tag, type, key, location, numel, view] = pid as unknown[];
  if (tag !== 'storage') return bad(`starts with ${describeValue(tag)} instead of 'storage'`);
  if (!(type instanceof PickleGlobal) || type.module !== 'torch') return bad(`names ${describeValue(type)} as its storage type`);
  const dtype = STORAGE_DTYPES[type.name];
  if (!dtype) return bad(`names the unknown storage type 'torch.${type.name}'`);
  if (typeof key !== 'string' && typeof key !== 'number') return bad(`has ${describeValue(key)} as its key`);
  if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) return bad(`declares ${describeValue(numel)} elements`);
  const id: StorageId = { dtype, key: String(key), location: typeof location === 'string' ? location : String(location), numel };
  if (view !== undefined && view !== null) {
    const [vKey, vOffset, vSize] = Array.isArray(view) ? view : [];
    if ((typeof vKey !== 'string' && typeof vKey !== 'number') || !isCount(vOffset) || !isCount(vSize)) return bad(`has view metadata ${describeValue(view)} instead of (key, offset, size)`);
    id.view = { key: String(vKey), offset: vOffset, numel: vSize };
  }
  return id;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Reverses each `itemSize`-byte element in place (big-endian file → little-endian). */
export function swapBytes(bytes: Uint8Array, itemSize: number): Uint8Array {
  if (itemSize === 1) return bytes;
  for (let i = 0; i + itemSize <= bytes.length; i += itemSize) {
    for (let a = i, b = i + itemSize - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
  return bytes;
}
