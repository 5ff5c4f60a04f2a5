/**
 * The JSON header of a `.onebit` file (FORMAT.md "Header"): its TypeScript shape and the
 * validation a reader runs on untrusted JSON. Every check names the JSON path and the bad value;
 * lengths are checked against dims and dtype here, before any tensor is allocated.
 */
import { rowLayout } from '@onebit/bits';
import { FormatError, isDType, UnsupportedError, type DType } from '@onebit/core';
import { FORMAT, VERSION } from './preamble.js';
import { binaryDataBytes, floatDataBytes, safeElementCount, scaleBytes } from './section-sizes.js';

export interface SectionRef {
  readonly offset: number;
  readonly length: number;
  /** CRC-32 of the section's bytes, 8 lowercase hex digits. */
  readonly crc32: string;
}

export interface ScaleSectionRef extends SectionRef {
  readonly dtype: 'float32';
  readonly dims: readonly number[];
}

export interface BitsLayout {
  readonly order: 'lsb-first';
  readonly axis: 0;
  readonly rows: number;
  readonly rowLength: number;
  readonly wordBits: 32;
  readonly rowWords: number;
}

export interface BinaryEntry {
  readonly name: string;
  readonly role: 'binary-weight';
  readonly dims: readonly number[];
  readonly dtype: 'float32';
  readonly bits: BitsLayout;
  readonly scale: number | ScaleSectionRef;
  readonly data: SectionRef;
}

export interface FloatEntry {
  readonly name: string;
  readonly role: 'float';
  readonly dims: readonly number[];
  readonly dtype: DType;
  /** Absent means 'raw'. */
  readonly encoding?: 'shuffle-deflate';
  readonly data: SectionRef;
}

export type TensorEntry = BinaryEntry | FloatEntry;

/** The graph section; version 2 may store it deflated, with its inflated length. */
export interface GraphSectionRef extends SectionRef {
  readonly encoding?: 'deflate';
  readonly rawLength?: number;
}

export interface Header {
  readonly model: Record<string, unknown>;
  readonly graph?: GraphSectionRef;
  readonly tensors: readonly TensorEntry[];
}

/** Most dimensions a tensor may have; real models stay far below. */
const MAX_RANK = 32;

function fail(message: string): never {
  throw new FormatError(FORMAT, `header ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    // JSON.parse accepts nesting deeper than JSON.stringify's recursion can print
    return 'a value nested too deeply to print';
  }
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function count(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(`${path} is ${show(v)}, not a non-negative integer.`);
  return v;
}

function dimsAt(v: unknown, path: string): number[] {
  if (!Array.isArray(v)) fail(`${path} is ${show(v)}, not an array of dimensions.`);
  if (v.length > MAX_RANK) fail(`${path} has ${v.length} dimensions, more than ${MAX_RANK}.`);
  const dims = v.map((d, i) => count(d, `${path}[${i}]`));
  if (safeElementCount(dims) === undefined) fail(`${path} [${dims.join(', ')}] has more elements than a safe integer.`);
  return dims;
}

function sectionAt(v: unknown, path: string, expectedLength: number | 'any'): SectionRef {
  if (!isObject(v)) fail(`${path} is ${show(v)}, not a section {offset, length, crc32}.`);
  const offset = count(v.offset, `${path}.offset`);
  const length = count(v.length, `${path}.length`);
  if (typeof v.crc32 !== 'string' || !/^[0-9a-f]{8}$/.test(v.crc32)) fail(`${path}.crc32 is ${show(v.crc32)}, not 8 lowercase hex digits.`);
  if (expectedLength !== 'any' && length !== expectedLength) fail(`${path}.length is ${length} but its dims and dtype need ${expectedLength} bytes.`);
  return { offset, length, crc32: v.crc32 };
}

function binaryEntry(v: Record<string, unknown>, name: string, dims: number[], path: string): BinaryEntry {
  if (v.dtype !== 'float32') throw new UnsupportedError(`${FORMAT}: binary weight "${name}" decodes to dtype ${show(v.dtype)}; only "float32" is supported.`);
  const bits = v.bits;
  if (!isObject(bits)) fail(`${path}.bits is ${show(bits)}, not a bit layout object.`);
  if (bits.order !== 'lsb-first') throw new UnsupportedError(`${FORMAT}: binary weight "${name}" has bit order ${show(bits.order)}; only "lsb-first" is supported.`);
  if (bits.wordBits !== 32) throw new UnsupportedError(`${FORMAT}: binary weight "${name}" has ${show(bits.wordBits)}-bit words; only 32 is supported.`);
  if (bits.axis !== 0) throw new UnsupportedError(`${FORMAT}: binary weight "${name}" is packed along axis ${show(bits.axis)}; only axis 0 is supported.`);
  const layout = rowLayout(dims);
  for (const key of ['rows', 'rowLength', 'rowWords'] as const) {
    if (bits[key] !== layout[key]) fail(`${path}.bits.${key} is ${show(bits[key])} but dims [${dims.join(', ')}] give ${layout[key]}.`);
  }
  let scale: number | ScaleSectionRef;
  if (typeof v.scale === 'number') {
    if (!Number.isFinite(v.scale)) fail(`${path}.scale is ${show(v.scale)}, not a finite number.`);
    scale = v.scale;
  } else {
    if (dims.length < 2) fail(`${path}.scale is per output channel but dims [${dims.join(', ')}] have no channel axis.`);
    const s = sectionAt(v.scale, `${path}.scale`, scaleBytes(dims));
    const ref = v.scale as Record<string, unknown>;
    if (ref.dtype !== 'float32') fail(`${path}.scale.dtype is ${show(ref.dtype)}, not "float32".`);
    const scaleDims = dimsAt(ref.dims, `${path}.scale.dims`);
    if (scaleDims.length !== 1 || scaleDims[0] !== dims[0]) fail(`${path}.scale.dims is [${scaleDims.join(', ')}] but the weight has ${dims[0]} output channels.`);
    scale = { ...s, dtype: 'float32', dims: scaleDims };
  }
  const bitsLayout: BitsLayout = { order: 'lsb-first', axis: 0, rows: layout.rows, rowLength: layout.rowLength, wordBits: 32, rowWords: layout.rowWords };
  return { name, role: 'binary-weight', dims, dtype: 'float32', bits: bitsLayout, scale, data: sectionAt(v.data, `${path}.data`, binaryDataBytes(dims)) };
}

function floatEntry(v: Record<string, unknown>, name: string, dims: number[], path: string): FloatEntry {
  if (typeof v.dtype !== 'string' || !isDType(v.dtype)) throw new UnsupportedError(`${FORMAT}: tensor "${name}" has dtype ${show(v.dtype)}, which onebit does not know.`);
  const dtype = v.dtype;
  if (v.encoding === undefined || v.encoding === 'raw') return { name, role: 'float', dims, dtype, data: sectionAt(v.data, `${path}.data`, floatDataBytes(dims, dtype)) };
  if (v.encoding !== 'shuffle-deflate') throw new UnsupportedError(`${FORMAT}: tensor "${name}" has encoding ${show(v.encoding)}; known encodings are "raw" and "shuffle-deflate".`);
  const data = sectionAt(v.data, `${path}.data`, 'any');
  if (data.length === 0) fail(`${path}.data.length is 0, too short for a deflate stream.`);
  return { name, role: 'float', dims, dtype, encoding: 'shuffle-deflate', data };
}

/** Validates parsed header JSON; throws FormatError (bad shape) or UnsupportedError (unknown kind). */
export function parseHeader(json: unknown, version: number = VERSION): Header {
  if (!isObject(json)) fail(`is ${show(json)}, not a JSON object.`);
  if (!isObject(json.model)) fail(`model is ${show(json.model)}, not a JSON object.`);
  if (!Array.isArray(json.tensors)) fail(`tensors is ${show(json.tensors)}, not an array.`);
  const names = new Set<string>();
  const tensors = json.tensors.map((t: unknown, i: number): TensorEntry => {
    const path = `tensors[${i}]`;
    if (!isObject(t)) fail(`${path} is ${show(t)}, not an object.`);
    if (typeof t.name !== 'string' || t.name === '') fail(`${path}.name is ${show(t.name)}, not a non-empty string.`);
    if (names.has(t.name)) fail(`${path}.name "${t.name}" repeats an earlier tensor's name.`);
    names.add(t.name);
    const dims = dimsAt(t.dims, `${path}.dims`);
    if (t.role === 'binary-weight') return binaryEntry(t, t.name, dims, path);
    if (t.role === 'float') return floatEntry(t, t.name, dims, path);
    throw new UnsupportedError(`${FORMAT}: tensor "${t.name}" has role ${show(t.role)}; known roles are "binary-weight" and "float".`);
  });
  if (json.graph === undefined) return { model: json.model, tensors };
  if (!isObject(json.graph)) fail(`graph is ${show(json.graph)}, not a section {offset, length, crc32}.`);
  const graph = sectionAt(json.graph, 'graph', count(json.graph.length, 'graph.length'));
  if (json.graph.encoding === undefined || json.graph.encoding === 'raw') return { model: json.model, graph, tensors };
  if (json.graph.encoding !== 'deflate') throw new UnsupportedError(`${FORMAT}: the graph section has encoding ${show(json.graph.encoding)}; known encodings are "raw" and "deflate".`);
  if (version < 2) fail(`graph.encoding "deflate" needs container version 2, but the file says version ${version}.`);
  if (graph.length === 0) fail('graph.length is 0, too short for a deflate stream.');
  return { model: json.model, graph: { ...graph, encoding: 'deflate', rawLength: count(json.graph.rawLength, 'graph.rawLength') }, tensors };
}
