/**
 * A read-only ONNX ModelProto reader for runtimes (the onebit engine): the same OnnxModel view as
 * decodeModel for the fields onebit interprets, without protobufjs or the generated ONNX schema and
 * without the lossless round-trip bookkeeping (no passThrough, nothing kept for encodeModel), and
 * with uint8/int8 raw_data as views into `bytes` instead of copies. Hand-written over the protobuf
 * wire format (https://protobuf.dev/programming-guides/encoding/, field numbers from onnx.proto)
 * because loading protobufjs and the schema costs about 10 MB resident in Node — a sixth of the
 * engine's 64 MB budget — and decodeModel holds two to three copies of the model while decoding.
 * Import it as `@onebit/onnx/read`; to edit and write a model back, use decodeModel.
 */
import { ByteReader, describeWrongFile, type DType, DTYPE_BYTES, elementCount, FormatError, LimitError, readElementsLE, sentenceCase, type Tensor, TruncatedError, UnsupportedError, WrongFileError } from '@onebit/core';
import { dtypeOfDataType } from './data-type.js';
import type { OnnxAttribute, OnnxGraph, OnnxInitializer, OnnxModel, OnnxNode, ValueInfo } from './model.js';
import { sniffOnnx } from './sniff.js';
import { MAX_TENSOR_ELEMENTS } from './tensor-limits.js';

export { bitTable } from './emit-binary-weight.js';
export { findStackedBinaryWeights, type StackedWeights } from './stacked-binary-weights.js';

const FORMAT = 'ONNX';
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const utf8 = new TextDecoder();

/** One field of a message: its number, wire type and (for varint/fixed) value or (for length-delimited) bytes. */
interface Field {
  readonly number: number;
  readonly wire: number;
  /** Varint or fixed64 value (wire 0 / 1), exact. */
  readonly int: bigint;
  /** Fixed32 bits (wire 5) or the low 32 bits of `int`. */
  readonly bits32: number;
  /** Length-delimited payload (wire 2), a view into the input. */
  readonly bytes: Uint8Array;
  /** Absolute byte offset of the field's tag, for messages. */
  readonly at: number;
}

const EMPTY = new Uint8Array(0);

function varint(r: ByteReader, what: string): bigint {
  let value = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    const b = r.u8(what);
    value |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return BigInt.asUintN(64, value);
  }
  throw new FormatError(FORMAT, `${what} at byte ${r.offset} is a varint longer than 10 bytes.`, r.offset);
}

/**
 * A varint of at most 7 bytes (below 2^49) at the reader's position as a number, advancing past it;
 * −1 (position unchanged) for a longer or truncated one, which the caller reads with `varint` for
 * the exact value or the error. The common case without BigInts or message strings: those made
 * most of the reader's garbage, and the garbage grew V8's young generation while a model loads.
 */
function smallVarint(r: ByteReader): number {
  const b = r.bytes;
  let p = r.position;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 7 && p < b.length; i++) {
    const byte = b[p++]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      r.position = p;
      return value;
    }
    scale *= 128;
  }
  return -1;
}

/** The fields of the message in `bytes` (a view at absolute offset `base` of the file), in wire order. */
function fields(bytes: Uint8Array, base: number, what: string): Field[] {
  const r = new ByteReader(bytes, FORMAT, base);
  const out: Field[] = [];
  while (r.remaining > 0) {
    const at = r.offset;
    const small = smallVarint(r);
    let number: number;
    let wire: number;
    if (small >= 0) {
      number = Math.floor(small / 8);
      wire = small % 8;
    } else {
      const tag = varint(r, `a field tag of ${what}`);
      number = Number(tag >> 3n);
      wire = Number(tag & 7n);
    }
    if (number === 0 || number > 0x1fffffff) throw new FormatError(FORMAT, `${what} has a field numbered ${number} at byte ${at}.`, at);
    switch (wire) {
      case 0: {
        const s = smallVarint(r);
        const v = s >= 0 ? BigInt(s) : varint(r, `field ${number} of ${what}`);
        out.push({ number, wire, int: v, bits32: s >= 0 ? s % 0x100000000 : Number(v & 0xffffffffn), bytes: EMPTY, at });
        break;
      }
      case 1: {
        const v = r.u64Big(`field ${number} of ${what}`);
        out.push({ number, wire, int: v, bits32: Number(v & 0xffffffffn), bytes: EMPTY, at });
        break;
      }
      case 2: {
        const s = smallVarint(r);
        const n = s >= 0 ? s : varint(r, `the length of field ${number} of ${what}`);
        if (n > r.remaining) throw new TruncatedError(FORMAT, `field ${number} of ${what}`, at, Number(n), r.remaining);
        // In bounds (checked above), so bytesView cannot fail and needs no message built per field.
        out.push({ number, wire, int: 0n, bits32: 0, bytes: r.bytesView(Number(n), 'a length-delimited field'), at });
        break;
      }
      case 5: {
        const v = r.u32(`field ${number} of ${what}`);
        out.push({ number, wire, int: BigInt(v), bits32: v, bytes: EMPTY, at });
        break;
      }
      default:
        throw new FormatError(FORMAT, `field ${number} of ${what} at byte ${at} has wire type ${wire}, which ONNX does not use.`, at);
    }
  }
  return out;
}

function expectWire(f: Field, wire: number, what: string): void {
  if (f.wire !== wire) throw new FormatError(FORMAT, `${what} at byte ${f.at} has wire type ${f.wire}, expected ${wire}.`, f.at);
}

/**
 * Whether this environment's TextDecoder decodes views of shared memory: browsers' refuse them
 * (the engine reads the model from its SharedArrayBuffer), Node's accepts them.
 */
const decodesShared = ((): boolean => {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  try {
    utf8.decode(new Uint8Array(new SharedArrayBuffer(1)));
    return true;
  } catch {
    return false;
  }
})();

const text = (f: Field, what: string): string => {
  expectWire(f, 2, what);
  // Where the decoder refuses shared memory, decode a copy.
  const copy = !decodesShared && typeof SharedArrayBuffer !== 'undefined' && f.bytes.buffer instanceof SharedArrayBuffer;
  return utf8.decode(copy ? f.bytes.slice() : f.bytes);
};
const signed = (v: bigint): bigint => BigInt.asIntN(64, v);
function exact(v: bigint, what: string, at: number): number {
  if (v > SAFE || v < -SAFE) throw new LimitError(`ONNX: ${what} ${v} at byte ${at} exceeds the largest exact integer (2^53 − 1).`);
  return Number(v);
}

/** Values of a repeated scalar field, packed (wire 2) or one per field. */
function repeated(fs: readonly Field[], number: number, kind: 'varint' | 'fixed32' | 'fixed64', base: (f: Field) => number, what: string): bigint[] | number[] {
  const out: Array<bigint | number> = [];
  for (const f of fs) {
    if (f.number !== number) continue;
    if (f.wire === 2) {
      const r = new ByteReader(f.bytes, FORMAT, base(f));
      while (r.remaining > 0) out.push(kind === 'varint' ? varint(r, what) : kind === 'fixed32' ? r.f32(what) : r.f64(what));
    } else {
      expectWire(f, kind === 'varint' ? 0 : kind === 'fixed32' ? 5 : 1, what);
      out.push(kind === 'varint' ? f.int : kind === 'fixed32' ? f32OfBits(f.bits32) : f64OfBits(f.int));
    }
  }
  return out as bigint[] | number[];
}

const scratch = new DataView(new ArrayBuffer(8));
function f32OfBits(bits: number): number {
  scratch.setUint32(0, bits, true);
  return scratch.getFloat32(0, true);
}
function f64OfBits(bits: bigint): number {
  scratch.setBigUint64(0, bits, true);
  return scratch.getFloat64(0, true);
}

/**
 * Reads an ONNX model (ModelProto bytes) for running it.
 * Shapes, dtypes and attribute values are those decodeModel gives; uint8/int8 tensors with
 * raw_data are views into `bytes` (do not modify `bytes` while the model is in use).
 * Attributes of a type onebit does not run (graphs, tensor lists, sparse tensors, type protos) are
 * `{ type: 'other' }` with their bytes.
 * @throws WrongFileError when `bytes` are not an ONNX model (named `name`); FormatError (TruncatedError) for malformed protobuf or inconsistent tensor sizes, naming
 *   the byte offset; LimitError for tensors over MAX_TENSOR_ELEMENTS or integers beyond 2^53;
 *   UnsupportedError for a tensor with external data or an element type onebit has no dtype for.
 */
export function readModel(bytes: Uint8Array, name = 'the ONNX file'): OnnxModel {
  const wrong = describeWrongFile(bytes, name);
  if (wrong) throw new WrongFileError(sentenceCase(wrong));
  if (!sniffOnnx(bytes)) {
    throw new WrongFileError(`${sentenceCase(name)} is not an ONNX model: its ${bytes.length} bytes do not start with ModelProto fields (first byte 0x${bytes[0]!.toString(16).padStart(2, '0')}).`);
  }
  const fs = fields(bytes, 0, 'the ModelProto');
  const model: OnnxModel = {
    irVersion: 0, opsetImports: [], producerName: '', producerVersion: '', domain: '', modelVersion: 0, docString: '', metadata: {},
    graph: { name: '', nodes: [], initializers: [], inputs: [], outputs: [], valueInfo: [], docString: '' },
  };
  let graph: Field | undefined;
  for (const f of fs) {
    switch (f.number) {
      case 1: expectWire(f, 0, 'ir_version'); model.irVersion = exact(signed(f.int), 'ir_version', f.at); break;
      case 2: model.producerName = text(f, 'producer_name'); break;
      case 3: model.producerVersion = text(f, 'producer_version'); break;
      case 4: model.domain = text(f, 'domain'); break;
      case 5: expectWire(f, 0, 'model_version'); model.modelVersion = exact(signed(f.int), 'model_version', f.at); break;
      case 6: model.docString = text(f, 'doc_string'); break;
      case 7: expectWire(f, 2, 'graph'); graph = f; break;
      case 8: {
        expectWire(f, 2, 'opset_import');
        const imp = { domain: '', version: 0 };
        for (const g of fields(f.bytes, bodyAt(f, bytes), 'an OperatorSetIdProto')) {
          if (g.number === 1) imp.domain = text(g, 'opset_import domain');
          else if (g.number === 2) { expectWire(g, 0, 'opset_import version'); imp.version = exact(signed(g.int), `opset_import version of domain "${imp.domain}"`, g.at); }
        }
        model.opsetImports.push(imp);
        break;
      }
      case 14: {
        expectWire(f, 2, 'metadata_props');
        let key = '';
        let value = '';
        for (const g of fields(f.bytes, bodyAt(f, bytes), 'a StringStringEntryProto')) {
          if (g.number === 1) key = text(g, 'metadata key');
          else if (g.number === 2) value = text(g, 'metadata value');
        }
        model.metadata[key] = value;
        break;
      }
      default: break;
    }
  }
  if (!graph) throw new FormatError(FORMAT, 'the ModelProto has no graph.');
  model.graph = readGraph(graph.bytes, bodyAt(graph, bytes));
  return model;
}

/** Absolute offset of `f`'s payload in the file whose bytes are `file` (payloads are views into it). */
function bodyAt(f: Field, file: Uint8Array): number {
  return f.bytes.byteOffset - file.byteOffset;
}

function readGraph(bytes: Uint8Array, base: number): OnnxGraph {
  const g: OnnxGraph = { name: '', nodes: [], initializers: [], inputs: [], outputs: [], valueInfo: [], docString: '' };
  const at = (f: Field) => base + (f.bytes.byteOffset - bytes.byteOffset);
  const fs = fields(bytes, base, 'the GraphProto');
  for (const f of fs) if (f.number === 2) g.name = text(f, 'graph name');
  for (const f of fs) {
    switch (f.number) {
      case 1: expectWire(f, 2, 'node'); g.nodes.push(readNode(f.bytes, at(f), g.nodes.length)); break;
      case 5: expectWire(f, 2, 'initializer'); g.initializers.push(readTensor(f.bytes, at(f), `initializer ${g.initializers.length} of graph "${g.name}"`)); break;
      case 10: g.docString = text(f, 'graph doc_string'); break;
      case 11: expectWire(f, 2, 'input'); g.inputs.push(readValueInfo(f.bytes, at(f))); break;
      case 12: expectWire(f, 2, 'output'); g.outputs.push(readValueInfo(f.bytes, at(f))); break;
      case 13: expectWire(f, 2, 'value_info'); g.valueInfo.push(readValueInfo(f.bytes, at(f))); break;
      default: break;
    }
  }
  return g;
}

function readNode(bytes: Uint8Array, base: number, index: number): OnnxNode {
  const node: OnnxNode = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: {}, docString: '' };
  const fs = fields(bytes, base, `node ${index}`);
  const attrs: Field[] = [];
  for (const f of fs) {
    switch (f.number) {
      case 1: node.inputs.push(text(f, 'node input')); break;
      case 2: node.outputs.push(text(f, 'node output')); break;
      case 3: node.name = text(f, 'node name'); break;
      case 4: node.opType = text(f, 'op_type'); break;
      case 5: expectWire(f, 2, 'attribute'); attrs.push(f); break;
      case 6: node.docString = text(f, 'node doc_string'); break;
      case 7: node.domain = text(f, 'node domain'); break;
      default: break;
    }
  }
  const label = node.name ? `node "${node.name}"` : node.outputs[0] ? `the node making "${node.outputs[0]}"` : `node ${index}`;
  for (const f of attrs) {
    const [name, value] = readAttribute(f.bytes, base + (f.bytes.byteOffset - bytes.byteOffset), label);
    node.attributes[name] = value;
  }
  return node;
}

// AttributeProto.AttributeType (onnx.proto)
const AT = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9, GRAPHS: 10 } as const;

function readAttribute(bytes: Uint8Array, base: number, node: string): [string, OnnxAttribute] {
  const fs = fields(bytes, base, `an attribute of ${node}`);
  const at = (f: Field) => base + (f.bytes.byteOffset - bytes.byteOffset);
  let name = '';
  let type = 0;
  for (const f of fs) {
    if (f.number === 1) name = text(f, 'attribute name');
    else if (f.number === 20) { expectWire(f, 0, 'attribute type'); type = Number(f.int & 0xffffffffn); }
  }
  const label = `attribute "${name}" of ${node}`;
  const last = (n: number): Field | undefined => fs.filter((f) => f.number === n).pop();
  const has = (n: number): boolean => fs.some((f) => f.number === n);
  if (type === 0) {
    // Attributes written before IR version 2 have no `type`; it follows from the field that is set.
    type = has(7) ? AT.FLOATS : has(8) ? AT.INTS : has(9) ? AT.STRINGS : has(10) ? AT.TENSORS : has(11) ? AT.GRAPHS
      : has(5) ? AT.TENSOR : has(6) ? AT.GRAPH : has(4) ? AT.STRING : has(3) ? AT.INT : has(2) ? AT.FLOAT : 0;
  }
  const other: OnnxAttribute = { type: 'other', value: bytes };
  if (has(21)) return [name, other];
  const int = (v: bigint): { value: number; int64?: bigint } => {
    const big = signed(v);
    return big > SAFE || big < -SAFE ? { value: Number(big), int64: big } : { value: Number(big) };
  };
  switch (type) {
    case AT.FLOAT: {
      const f = last(2);
      if (f) expectWire(f, 5, `${label} (f)`);
      return [name, { type: 'float', value: f ? f32OfBits(f.bits32) : 0 }];
    }
    case AT.INT: {
      const f = last(3);
      if (f) expectWire(f, 0, `${label} (i)`);
      return [name, { type: 'int', ...int(f?.int ?? 0n) }];
    }
    case AT.STRING: {
      const f = last(4);
      return [name, { type: 'string', value: f ? text(f, label) : '' }];
    }
    case AT.TENSOR: {
      const f = last(5);
      if (f) expectWire(f, 2, `${label} (t)`);
      try {
        return [name, { type: 'tensor', value: readTensor(f?.bytes ?? EMPTY, f ? at(f) : base, `the tensor of ${label}`) }];
      } catch (err) {
        // a tensor of a type onebit has no dtype for (strings, external data) stays whole, as decodeModel keeps it
        if (err instanceof UnsupportedError) return [name, other];
        throw err;
      }
    }
    case AT.FLOATS:
      return [name, { type: 'floats', value: repeated(fs, 7, 'fixed32', at, label) as number[] }];
    case AT.INTS: {
      const bigs = (repeated(fs, 8, 'varint', at, label) as bigint[]).map(signed);
      return [name, bigs.some((b) => b > SAFE || b < -SAFE) ? { type: 'ints', value: bigs.map(Number), int64: bigs } : { type: 'ints', value: bigs.map(Number) }];
    }
    case AT.STRINGS:
      return [name, { type: 'strings', value: fs.filter((f) => f.number === 9).map((f) => text(f, label)) }];
    default:
      return [name, other];
  }
}

function readTensor(bytes: Uint8Array, base: number, where: string): OnnxInitializer {
  const fs = fields(bytes, base, where);
  const at = (f: Field) => base + (f.bytes.byteOffset - bytes.byteOffset);
  let name = '';
  let dataType = 0;
  let raw: Field | undefined;
  for (const f of fs) {
    if (f.number === 8) name = text(f, 'tensor name');
    else if (f.number === 2) { expectWire(f, 0, 'data_type'); dataType = Number(f.int & 0xffffffffn); }
    else if (f.number === 9) { expectWire(f, 2, 'raw_data'); raw = f; }
  }
  const label = name ? `tensor "${name}"` : where;
  if (fs.some((f) => f.number === 14 && f.int === 1n) || fs.some((f) => f.number === 13)) {
    throw new UnsupportedError(`ONNX: ${label} keeps its data in an external file; load the model with decodeModel and resolveExternalData first.`);
  }
  if (fs.some((f) => f.number === 3 || f.number === 6)) throw new UnsupportedError(`ONNX: ${label} is segmented or holds strings, which onebit does not run.`);
  const dtype = dtypeOfDataType(dataType, label);
  const dims = (repeated(fs, 1, 'varint', at, `dims of ${label}`) as bigint[]).map((d, i) => {
    const v = exact(signed(d), `dimension ${i} of ${label}`, base);
    if (v < 0) throw new FormatError(FORMAT, `dimension ${i} of ${label} is negative (${v}).`, base);
    return v;
  });
  const n = elementCount(dims);
  if (n > MAX_TENSOR_ELEMENTS) throw new LimitError(`ONNX: ${label} of shape [${dims.join(', ')}] has ${n} elements, more than the ${MAX_TENSOR_ELEMENTS} onebit allows.`);
  return { name, tensor: { dtype, dims, data: tensorData(fs, raw, dtype, n, dims, label, at) } as Tensor };
}

function tensorData(fs: readonly Field[], raw: Field | undefined, dtype: DType, n: number, dims: number[], label: string, at: (f: Field) => number): Tensor['data'] {
  if (raw && raw.bytes.length > 0) {
    const needed = n * DTYPE_BYTES[dtype];
    if (raw.bytes.length !== needed) {
      throw new FormatError(FORMAT, `raw_data of ${label} (${dtype}, shape [${dims.join(', ')}]) holds ${raw.bytes.length} bytes but ${needed} are needed.`, at(raw));
    }
    if (dtype === 'uint8') return raw.bytes;
    if (dtype === 'int8') return new Int8Array(raw.bytes.buffer, raw.bytes.byteOffset, n);
    return readElementsLE(dtype, raw.bytes, 0, n);
  }
  const [field, kind] = dtype === 'float32' ? [4, 'fixed32'] as const : dtype === 'float64' ? [10, 'fixed64'] as const
    : dtype === 'int64' ? [7, 'varint'] as const : dtype === 'uint32' || dtype === 'uint64' ? [11, 'varint'] as const : [5, 'varint'] as const;
  const values = repeated(fs, field, kind, at, label);
  if (values.length !== n) {
    const names: Record<number, string> = { 4: 'float_data', 5: 'int32_data', 7: 'int64_data', 10: 'double_data', 11: 'uint64_data' };
    throw new FormatError(FORMAT, `${names[field]} of ${label} (${dtype}, shape [${dims.join(', ')}]) holds ${values.length} values but ${n} are needed.`);
  }
  if (kind !== 'varint') return dtype === 'float32' ? Float32Array.from(values as number[]) : Float64Array.from(values as number[]);
  const bigs = values as bigint[];
  switch (dtype) {
    case 'int64': return BigInt64Array.from(bigs, signed);
    case 'uint64': return BigUint64Array.from(bigs);
    case 'uint32': return Uint32Array.from(bigs, (b) => Number(b & 0xffffffffn));
    case 'float16':
    case 'bfloat16': return Uint16Array.from(bigs, (b) => Number(b & 0xffffn));
    default: {
      const Ctor = { int32: Int32Array, int16: Int16Array, int8: Int8Array, uint16: Uint16Array, uint8: Uint8Array, bool: Uint8Array }[dtype as 'int32'];
      return Ctor.from(bigs, (b) => Number(BigInt.asIntN(32, b)));
    }
  }
}

function readValueInfo(bytes: Uint8Array, base: number): ValueInfo {
  const info: ValueInfo = { name: '' };
  const at = (f: Field, within: Uint8Array, b: number) => b + (f.bytes.byteOffset - within.byteOffset);
  for (const f of fields(bytes, base, 'a ValueInfoProto')) {
    if (f.number === 1) info.name = text(f, 'value name');
    else if (f.number === 2) {
      expectWire(f, 2, 'value type');
      const typeBase = at(f, bytes, base);
      const tensorType = fields(f.bytes, typeBase, 'a TypeProto').filter((g) => g.number === 1 && g.wire === 2).pop();
      if (!tensorType) continue;
      const ttBase = at(tensorType, f.bytes, typeBase);
      let elem = 0;
      let shape: Field | undefined;
      for (const g of fields(tensorType.bytes, ttBase, 'a TypeProto.Tensor')) {
        if (g.number === 1) { expectWire(g, 0, 'elem_type'); elem = Number(g.int & 0xffffffffn); }
        else if (g.number === 2) { expectWire(g, 2, 'shape'); shape = g; }
      }
      let elemType: DType;
      try {
        elemType = dtypeOfDataType(elem, `value "${info.name}"`);
      } catch {
        continue; // a value of a type onebit has no dtype for stays untyped, as decodeModel leaves it
      }
      info.elemType = elemType;
      if (shape) {
        const shapeBase = at(shape, tensorType.bytes, ttBase);
        info.dims = fields(shape.bytes, shapeBase, 'a TensorShapeProto').filter((d) => d.number === 1).map((d) => {
          expectWire(d, 2, 'dim');
          let dim: number | string | undefined;
          for (const e of fields(d.bytes, at(d, shape!.bytes, shapeBase), 'a Dimension')) {
            if (e.number === 1) { expectWire(e, 0, 'dim_value'); const v = signed(e.int); dim = v <= SAFE && v >= -SAFE ? Number(v) : undefined; }
            else if (e.number === 2) dim = text(e, 'dim_param');
          }
          return dim;
        });
      }
    }
  }
  return info;
}
