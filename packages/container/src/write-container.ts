/**
 * Writes a `.onebit` container (FORMAT.md): the binary weights' flat bits become row-padded
 * words, every section is placed at the next 64-byte boundary, the header JSON records offsets,
 * lengths and CRC-32s, and the preamble records the header's length and CRC-32.
 */
import { flatToRowWords, rowLayout } from '@onebit/bits';
import { DTYPE_BYTES, elementCount, isDType } from '@onebit/core';
import type { Container, ContainerTensor } from './container-types.js';
import { crc32, crcHex } from '@onebit/core';
import { shuffleDeflate } from './float-encoding.js';
import type { GraphSectionRef, Header, SectionRef, TensorEntry } from './header.js';
import { align, MAGIC, MIN_VERSION, PREAMBLE_BYTES, VERSION } from './preamble.js';

const IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Lays sections out back to back at aligned offsets (relative to the data area). */
class SectionPlan {
  readonly parts: { offset: number; bytes: Uint8Array }[] = [];
  end = 0;

  add(bytes: Uint8Array): SectionRef {
    const offset = align(this.end);
    this.parts.push({ offset, bytes });
    this.end = offset + bytes.length;
    return { offset, length: bytes.length, crc32: crcHex(crc32(bytes)) };
  }
}

function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function checkDims(who: string, dims: readonly number[]): void {
  if (!Array.isArray(dims) || dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new RangeError(`${who}: dims [${String(dims)}] are not non-negative integers.`);
}

function binaryEntry(t: Extract<ContainerTensor, { role: 'binary-weight' }>, plan: SectionPlan): TensorEntry {
  const who = `writeContainer: binary weight "${t.name}"`;
  const { dims, bits, scale } = t.weight;
  checkDims(who, dims);
  const n = elementCount(dims);
  if (!(bits instanceof Uint8Array) || bits.length !== Math.ceil(n / 8)) throw new RangeError(`${who} of dims [${dims.join(', ')}] needs ${Math.ceil(n / 8)} bytes of bits but has ${bits?.length}.`);
  // padding bits must be zero
  if (n % 8 !== 0 && bits[bits.length - 1]! >>> (n % 8) !== 0) throw new RangeError(`${who} has set padding bits in its last byte 0x${bits[bits.length - 1]!.toString(16)}.`);
  const layout = rowLayout(dims);
  const words = flatToRowWords(bits, layout.rows, layout.rowLength);
  const data = plan.add(bytesOf(words));
  let scaleEntry;
  if (typeof scale === 'number') {
    // A JSON number is the exact double; −0, NaN and ±Infinity would not survive the round trip.
    if (!Object.is(JSON.parse(JSON.stringify(scale) ?? 'null'), scale)) throw new RangeError(`${who} has scale ${scale}, which JSON cannot store exactly.`);
    scaleEntry = scale;
  } else {
    if (!(scale instanceof Float32Array)) throw new TypeError(`${who} has a scale that is neither a number nor a Float32Array.`);
    if (dims.length < 2 || scale.length !== dims[0]) throw new RangeError(`${who} of dims [${dims.join(', ')}] has ${scale.length} per-channel scales; it needs one per output channel (dims[0], rank ≥ 2).`);
    scaleEntry = { dtype: 'float32' as const, dims: [scale.length], ...plan.add(bytesOf(scale)) };
  }
  return {
    name: t.name,
    role: 'binary-weight',
    dims: [...dims],
    dtype: 'float32',
    bits: { order: 'lsb-first', axis: 0, rows: layout.rows, rowLength: layout.rowLength, wordBits: 32, rowWords: layout.rowWords },
    scale: scaleEntry,
    data,
  };
}

function floatEntry(t: Extract<ContainerTensor, { role: 'float' }>, plan: SectionPlan): TensorEntry {
  const who = `writeContainer: tensor "${t.name}"`;
  const { dtype, dims, data } = t.tensor;
  checkDims(who, dims);
  if (!isDType(dtype)) throw new TypeError(`${who} has unknown dtype ${String(dtype)}.`);
  const n = elementCount(dims);
  if (data.length !== n || data.BYTES_PER_ELEMENT !== DTYPE_BYTES[dtype]) throw new RangeError(`${who} of dims [${dims.join(', ')}] needs ${n} ${dtype} elements but has ${data.length}.`);
  if (t.encoding === undefined || t.encoding === 'raw') return { name: t.name, role: 'float', dims: [...dims], dtype, data: plan.add(bytesOf(data)) };
  if (t.encoding !== 'shuffle-deflate') throw new RangeError(`${who} has unknown encoding ${JSON.stringify(t.encoding)}.`);
  return { name: t.name, role: 'float', dims: [...dims], dtype, encoding: 'shuffle-deflate', data: plan.add(shuffleDeflate(bytesOf(data), DTYPE_BYTES[dtype])) };
}

/** Serialises a container; throws TypeError/RangeError for inputs the format cannot hold exactly. */
export function writeContainer(c: Container): Uint8Array {
  if (!IS_LITTLE_ENDIAN) throw new RangeError('writeContainer needs a little-endian host.');
  if (typeof c.model !== 'object' || c.model === null || Array.isArray(c.model)) throw new TypeError('writeContainer: model must be a JSON object.');
  const plan = new SectionPlan();
  const deflated = c.graphEncoding === 'deflate';
  if (c.graphEncoding !== undefined && c.graphEncoding !== 'raw' && !deflated) throw new RangeError(`writeContainer: unknown graph encoding ${JSON.stringify(c.graphEncoding)}.`);
  // Deflate of 1-byte elements: shuffleDeflate's shuffle is then the identity.
  const graph: GraphSectionRef | undefined =
    c.graph === undefined ? undefined : deflated ? { ...plan.add(shuffleDeflate(c.graph, 1)), encoding: 'deflate', rawLength: c.graph.length } : plan.add(c.graph);
  const names = new Set<string>();
  const tensors = c.tensors.map((t) => {
    if (typeof t.name !== 'string' || t.name === '') throw new RangeError(`writeContainer: tensor name ${JSON.stringify(t.name)} is not a non-empty string.`);
    if (names.has(t.name)) throw new RangeError(`writeContainer: tensor name "${t.name}" appears twice.`);
    names.add(t.name);
    if (t.role === 'binary-weight') return binaryEntry(t, plan);
    if (t.role === 'float') return floatEntry(t, plan);
    throw new TypeError(`writeContainer: tensor "${(t as { name: string }).name}" has unknown role ${JSON.stringify((t as { role: unknown }).role)}.`);
  });
  const header: Header = graph === undefined ? { model: c.model, tensors } : { model: c.model, graph, tensors };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align(PREAMBLE_BYTES + headerBytes.length);
  const out = new Uint8Array(dataStart + plan.end);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  // The lowest version whose rules the file follows, so version-1 readers still read what they can.
  view.setUint32(8, deflated ? VERSION : MIN_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  view.setUint32(16, crc32(headerBytes), true);
  out.set(headerBytes, PREAMBLE_BYTES);
  for (const part of plan.parts) out.set(part.bytes, dataStart + part.offset);
  return out;
}
