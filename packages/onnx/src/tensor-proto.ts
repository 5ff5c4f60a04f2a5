/**
 * TensorProto ↔ OnnxInitializer. Reads raw_data (little-endian) and every typed field the spec
 * allows: float_data, int32_data (which also carries int8/uint8/int16/uint16/bool and the 16-bit
 * patterns of float16/bfloat16), int64_data, double_data and uint64_data (uint32/uint64). Writes
 * raw_data only. data_location EXTERNAL keeps the reference and leaves the data unloaded.
 * decodeTensorBytes/encodeTensorBytes work on the wire bytes and lose nothing: fields onebit does not
 * read are kept in `passThrough`, an unchanged tensor is written back as its original bytes, and a
 * tensor onebit cannot represent (STRING, complex, 8/4/2-bit types, segments) is left to the caller
 * to carry whole.
 */
import { type DType, DTYPE_BYTES, FormatError, LimitError, type Tensor, type TensorBudget, allocate, elementCount, formatDims, readElementsLE } from '@onebit/core';
import { MAX_TENSOR_ELEMENTS } from './tensor-limits.js';
import { DATA_TYPE, dtypeOfDataType, isKnownDataType } from './data-type.js';
import { type ProtoInt64, int64ToBigInt, int64ToNumber } from './int64.js';
import type { OnnxExternalData, OnnxInitializer } from './model.js';
import { type onnx, proto } from './proto.js';
import { crc32 } from '@onebit/core';
import { assemble, bytesEqual, rest, splitFields } from './wire-fields.js';

export { MAX_TENSOR_ELEMENTS } from './tensor-limits.js';

/**
 * Decodes one TensorProto; `where` names it when it has no name (e.g. "attribute value of node Conv_3").
 * Its decoded bytes (elements × bytes per element) are charged to `budget` before allocating: packed
 * varints (int32_data, int64_data) may widen a 1-byte value to 8.
 */
export function decodeTensorProto(p: onnx.ITensorProto, where: string, budget?: TensorBudget): OnnxInitializer {
  const name = p.name ?? '';
  const label = name ? `tensor "${name}"` : where;
  const dtype = dtypeOfDataType(p.dataType ?? 0, label);
  const dims = (p.dims ?? []).map((d, i) => {
    const v = int64ToNumber(d, `dimension ${i} of ${label}`);
    if (v < 0) throw new FormatError('ONNX', `dimension ${i} of ${label} is negative (${v}).`);
    return v;
  });
  const n = elementCount(dims);
  if (n > MAX_TENSOR_ELEMENTS) throw new LimitError(`ONNX: ${label} of shape ${formatDims(dims)} has ${n} elements, more than the ${MAX_TENSOR_ELEMENTS} onebit allows.`);

  if (p.dataLocation === proto.TensorProto.DataLocation.EXTERNAL) {
    const externalData = decodeExternalData(p.externalData ?? [], label);
    return { name, tensor: { dtype, dims, data: allocate(dtype, 0) } as Tensor, externalData };
  }
  budget?.charge('ONNX', `${label} of shape ${formatDims(dims)} (${dtype})`, n * DTYPE_BYTES[dtype]);
  return { name, tensor: { dtype, dims, data: decodeData(p, dtype, n, dims, label) } as Tensor };
}

function decodeData(p: onnx.ITensorProto, dtype: DType, n: number, dims: number[], label: string): Tensor['data'] {
  const raw = p.rawData;
  if (raw && raw.length > 0) {
    const needed = n * DTYPE_BYTES[dtype];
    if (raw.length !== needed) {
      throw new FormatError('ONNX', `raw_data of ${label} (${dtype}, shape ${formatDims(dims)}) holds ${raw.length} bytes but ${needed} are needed.`);
    }
    return readElementsLE(dtype, raw, 0, n);
  }
  const [field, values] = typedField(p, dtype);
  if (values.length !== n) {
    throw new FormatError('ONNX', `${field} of ${label} (${dtype}, shape ${formatDims(dims)}) holds ${values.length} values but ${n} are needed.`);
  }
  const out = allocate(dtype, n);
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    const unsigned = out instanceof BigUint64Array;
    for (let i = 0; i < n; i++) {
      const big = int64ToBigInt(values[i] as ProtoInt64);
      out[i] = unsigned ? BigInt.asUintN(64, big) : big;
    }
  } else if (dtype === 'uint32') {
    for (let i = 0; i < n; i++) out[i] = Number(int64ToBigInt(values[i] as ProtoInt64));
  } else if (dtype === 'float16' || dtype === 'bfloat16') {
    // 16-bit patterns stored in the low half of each int32
    for (let i = 0; i < n; i++) out[i] = (values[i] as number) & 0xffff;
  } else {
    for (let i = 0; i < n; i++) out[i] = values[i] as number;
  }
  return out;
}

/** Which repeated field carries `dtype` when raw_data is empty, and its values. */
function typedField(p: onnx.ITensorProto, dtype: DType): [string, ArrayLike<number | ProtoInt64>] {
  switch (dtype) {
    case 'float32': return ['float_data', p.floatData ?? []];
    case 'float64': return ['double_data', p.doubleData ?? []];
    case 'int64': return ['int64_data', p.int64Data ?? []];
    case 'uint32':
    case 'uint64': return ['uint64_data', p.uint64Data ?? []];
    default: return ['int32_data', p.int32Data ?? []];
  }
}

function decodeExternalData(entries: onnx.IStringStringEntryProto[], label: string): OnnxExternalData {
  const map = new Map(entries.map((e) => [e.key ?? '', e.value ?? '']));
  const location = map.get('location');
  if (!location) throw new FormatError('ONNX', `${label} has data_location EXTERNAL but no "location" entry.`);
  const offset = parseSize(map.get('offset'), 'offset', label) ?? 0;
  const length = parseSize(map.get('length'), 'length', label);
  return length === undefined ? { location, offset } : { location, offset, length };
}

function parseSize(text: string | undefined, key: string, label: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const v = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(v)) throw new FormatError('ONNX', `external data ${key} "${text}" of ${label} is not a non-negative integer.`);
  return v;
}

/** Encodes an initializer as a TensorProto with raw_data, or as an EXTERNAL reference while unloaded. */
export function encodeTensorProto(init: OnnxInitializer): onnx.ITensorProto {
  const { dtype, dims, data } = init.tensor;
  const n = elementCount(dims);
  const p: onnx.ITensorProto = { name: init.name, dataType: DATA_TYPE[dtype], dims: [...dims] };
  if (init.externalData && data.length === 0 && n !== 0) {
    const { location, offset, length } = init.externalData;
    p.dataLocation = proto.TensorProto.DataLocation.EXTERNAL;
    p.externalData = [{ key: 'location', value: location }, { key: 'offset', value: String(offset) }];
    if (length !== undefined) p.externalData.push({ key: 'length', value: String(length) });
    return p;
  }
  if (data.length !== n) throw new RangeError(`initializer "${init.name}" of shape ${formatDims(dims)} needs ${n} elements but its ${dtype} data has ${data.length}.`);
  p.rawData = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return p;
}

/** TensorProto fields onebit reads: dims, data_type, the typed data fields, name, raw_data, external_data, data_location. */
const TENSOR_INTERPRETED = new Set([1, 2, 4, 5, 7, 8, 9, 10, 11, 13, 14]);

/** What an initializer looked like when decoded, to tell whether it changed. */
interface TensorSource {
  bytes: Uint8Array;
  name: string;
  dtype: string;
  dims: string;
  data: Tensor['data'];
  crc: number;
  external: string;
  passThrough: Uint8Array | undefined;
}
const SOURCE = new WeakMap<OnnxInitializer, TensorSource>();

function dataCrc(data: Tensor['data']): number {
  return crc32(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

/**
 * Decodes TensorProto bytes; returns undefined for a tensor onebit cannot represent (a data type
 * without an onebit dtype, string_data, a segment), which the caller carries as bytes. Corrupt data
 * throws as decodeTensorProto does.
 */
export function decodeTensorBytes(bytes: Uint8Array, where: string, budget?: TensorBudget): OnnxInitializer | undefined {
  const fields = splitFields(bytes, where);
  const p = proto.TensorProto.decode(bytes);
  if (!isKnownDataType(p.dataType ?? 0) || fields.some((f) => f.number === 3 || f.number === 6)) return undefined;
  const init = decodeTensorProto(p, where, budget);
  const passThrough = rest(fields, TENSOR_INTERPRETED);
  if (passThrough) init.passThrough = passThrough;
  const { tensor } = init;
  SOURCE.set(init, {
    bytes, name: init.name, dtype: tensor.dtype, dims: tensor.dims.join(','), data: tensor.data, crc: dataCrc(tensor.data),
    external: JSON.stringify(init.externalData ?? null), passThrough,
  });
  return init;
}

/** TensorProto bytes of `init`: its original bytes when nothing changed, else raw_data (or the external reference) plus its passThrough. */
export function encodeTensorBytes(init: OnnxInitializer): Uint8Array {
  const source = SOURCE.get(init);
  const { tensor } = init;
  if (source && source.name === init.name && source.dtype === tensor.dtype && source.dims === tensor.dims.join(',') &&
      source.data.length === tensor.data.length && source.data.byteLength === tensor.data.byteLength && source.external === JSON.stringify(init.externalData ?? null) &&
      (source.passThrough === init.passThrough || (source.passThrough && init.passThrough && bytesEqual(source.passThrough, init.passThrough))) &&
      dataCrc(tensor.data) === source.crc) {
    return source.bytes;
  }
  const known = splitFields(proto.TensorProto.encode(encodeTensorProto(init)).finish(), `tensor "${init.name}"`);
  return assemble(known, init.passThrough);
}

/**
 * True when `init` encodes to the same TensorProto bytes as a fresh initializer holding the same
 * name, tensor and passThrough — i.e. its decoded wire form (unpacked dims, float_data instead of
 * raw_data, field order) carries nothing a rebuilt copy would lose. The .onebit container pools
 * only such tensors, so a model read back from it re-encodes byte for byte.
 */
export function hasCanonicalEncoding(init: OnnxInitializer): boolean {
  const source = SOURCE.get(init);
  if (!source) return true;
  const fresh: OnnxInitializer = { name: init.name, tensor: init.tensor, ...(init.externalData ? { externalData: init.externalData } : {}), ...(init.passThrough ? { passThrough: init.passThrough } : {}) };
  return bytesEqual(encodeTensorBytes(init), encodeTensorBytes(fresh));
}
