/**
 * Reads what the runtime needs to know about an ONNX model straight from its protobuf bytes
 * (onnx.proto: ModelProto 7 graph, 14 metadata_props; GraphProto 5 initializer, 11 input, 12 output;
 * TensorProto 1 dims, 2 data_type, 4 float_data, 7 int64_data, 8 name, 9 raw_data): metadata, the
 * input and output shapes, and the packed binary weights (`<w>.bits` uint8 initializers, with the
 * exact count from `<w>.shape`). A walk over wire types, so the browser bundle needs no protobuf
 * library; initializer payloads are measured, never copied.
 */
import { ModelLoadError } from './errors.js';

export interface ValueShape {
  readonly name: string;
  /** Dimensions; a symbolic or missing dimension is -1. */
  readonly dims: readonly number[];
}

export interface OnnxFacts {
  readonly metadata: Record<string, string>;
  readonly inputs: readonly ValueShape[];
  readonly outputs: readonly ValueShape[];
  /** Binary weights stored as `<w>.bits`. */
  readonly binaryWeights: number;
  /** Bytes of float32 initializers, excluding the shared bit table. */
  readonly floatInitializerBytes: number;
}

const FLOAT = 1;
const INT64 = 7;
const BIT_TABLE = 'onebit.bit_table';

/** A protobuf field: number, wire type, and either a varint value or a byte range. */
interface Field { readonly field: number; readonly wire: number; readonly value: number; readonly start: number; readonly end: number }

/** Iterates the fields of the message in bytes[start, end); throws ModelLoadError where it breaks. */
function* fields(bytes: Uint8Array, start: number, end: number, what: string): Generator<Field> {
  let pos = start;
  const varint = (): number => {
    let v = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= end) throw new ModelLoadError(`The ONNX ${what} ends inside a varint at byte ${pos}.`);
      const b = bytes[pos++]!;
      if (shift < 53) v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return v;
    }
    throw new ModelLoadError(`The ONNX ${what} has a varint longer than 10 bytes at byte ${pos}.`);
  };
  while (pos < end) {
    const at = pos;
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 0) throw new ModelLoadError(`The ONNX ${what} has field number 0 at byte ${at}; the bytes are not a protobuf message.`);
    if (wire === 0) {
      yield { field, wire, value: varint(), start: pos, end: pos };
    } else if (wire === 2) {
      const len = varint();
      if (len > end - pos) throw new ModelLoadError(`The ONNX ${what} field ${field} at byte ${at} claims ${len} bytes but only ${end - pos} remain (truncated?).`);
      yield { field, wire, value: len, start: pos, end: pos + len };
      pos += len;
    } else if (wire === 1 || wire === 5) {
      const len = wire === 1 ? 8 : 4;
      if (len > end - pos) throw new ModelLoadError(`The ONNX ${what} ends inside field ${field} at byte ${at}.`);
      yield { field, wire, value: 0, start: pos, end: pos + len };
      pos += len;
    } else {
      throw new ModelLoadError(`The ONNX ${what} has wire type ${wire} at byte ${at}; the bytes are not an ONNX model.`);
    }
  }
}

const text = (bytes: Uint8Array, f: Field): string => new TextDecoder().decode(bytes.subarray(f.start, f.end));

/** Values of a packed repeated varint field. */
function packedVarints(bytes: Uint8Array, f: Field): number[] {
  const out: number[] = [];
  let pos = f.start;
  while (pos < f.end) {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[pos++]!;
      if (shift < 53) v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0 || pos >= f.end) break;
    }
    out.push(v);
  }
  return out;
}

interface Initializer { name: string; dataType: number; dims: number[]; payloadBytes: number; int64Values: number[] }

function readTensor(bytes: Uint8Array, start: number, end: number): Initializer {
  const t: Initializer = { name: '', dataType: 0, dims: [], payloadBytes: 0, int64Values: [] };
  let raw: Field | undefined;
  for (const f of fields(bytes, start, end, 'initializer')) {
    if (f.field === 1) t.dims.push(...(f.wire === 0 ? [f.value] : packedVarints(bytes, f)));
    else if (f.field === 2 && f.wire === 0) t.dataType = f.value;
    else if (f.field === 8 && f.wire === 2) t.name = text(bytes, f);
    else if (f.field === 9 && f.wire === 2) raw = f;
    else if (f.field === 4) t.payloadBytes += f.wire === 2 ? f.end - f.start : 4;
    else if (f.field === 7) t.int64Values.push(...(f.wire === 0 ? [f.value] : packedVarints(bytes, f)));
  }
  if (raw) {
    t.payloadBytes = raw.end - raw.start;
    if (t.dataType === INT64 && t.payloadBytes <= 64) {
      const view = new DataView(bytes.buffer, bytes.byteOffset + raw.start, t.payloadBytes);
      for (let i = 0; i + 8 <= t.payloadBytes; i += 8) t.int64Values.push(Number(view.getBigInt64(i, true)));
    }
  }
  return t;
}

/** ValueInfoProto: 1 name, 2 type → TypeProto 1 tensor_type → 2 shape → 1 dim → 1 dim_value. */
function readValueInfo(bytes: Uint8Array, start: number, end: number): ValueShape {
  let name = '';
  const dims: number[] = [];
  for (const f of fields(bytes, start, end, 'value info')) {
    if (f.field === 1 && f.wire === 2) name = text(bytes, f);
    if (f.field !== 2 || f.wire !== 2) continue;
    for (const tt of fields(bytes, f.start, f.end, 'type')) {
      if (tt.field !== 1 || tt.wire !== 2) continue;
      for (const sh of fields(bytes, tt.start, tt.end, 'tensor type')) {
        if (sh.field !== 2 || sh.wire !== 2) continue;
        for (const d of fields(bytes, sh.start, sh.end, 'shape')) {
          if (d.field !== 1 || d.wire !== 2) continue;
          let value = -1;
          for (const dv of fields(bytes, d.start, d.end, 'dimension')) if (dv.field === 1 && dv.wire === 0) value = dv.value;
          dims.push(value);
        }
      }
    }
  }
  return { name, dims };
}

/** Facts about the ONNX model in `bytes`; ModelLoadError when the bytes are not an ONNX model. */
export function readOnnxFacts(bytes: Uint8Array): OnnxFacts {
  if (bytes.length === 0) throw new ModelLoadError('The model is empty (0 bytes).');
  const metadata: Record<string, string> = {};
  const inputs: ValueShape[] = [];
  const outputs: ValueShape[] = [];
  const initializers: Initializer[] = [];
  let graph = false;
  for (const f of fields(bytes, 0, bytes.length, 'model')) {
    if (f.field === 14 && f.wire === 2) {
      let key = '';
      let value = '';
      for (const e of fields(bytes, f.start, f.end, 'metadata entry')) {
        if (e.field === 1 && e.wire === 2) key = text(bytes, e);
        if (e.field === 2 && e.wire === 2) value = text(bytes, e);
      }
      metadata[key] = value;
    } else if (f.field === 7 && f.wire === 2) {
      graph = true;
      for (const g of fields(bytes, f.start, f.end, 'graph')) {
        if (g.wire !== 2) continue;
        if (g.field === 5) initializers.push(readTensor(bytes, g.start, g.end));
        else if (g.field === 11) inputs.push(readValueInfo(bytes, g.start, g.end));
        else if (g.field === 12) outputs.push(readValueInfo(bytes, g.start, g.end));
      }
    }
  }
  if (!graph) throw new ModelLoadError(`The ${bytes.length}-byte model has no ONNX graph (field 7); it is not an ONNX model.`);
  const byName = new Map(initializers.map((t) => [t.name, t]));
  let binaryWeights = 0;
  let floatInitializerBytes = 0;
  for (const t of initializers) {
    if (t.dataType === FLOAT && t.name !== BIT_TABLE) floatInitializerBytes += t.payloadBytes;
    if (!t.name.endsWith('.bits')) continue;
    const shape = byName.get(`${t.name.slice(0, -'.bits'.length)}.shape`);
    binaryWeights += shape && shape.int64Values.length > 0 ? shape.int64Values.reduce((a, d) => a * d, 1) : t.payloadBytes * 8;
  }
  // Graph inputs that are also initializers are optional overrides, not image inputs.
  return { metadata, inputs: inputs.filter((i) => !byName.has(i.name)), outputs, binaryWeights, floatInitializerBytes };
}
