/**
 * Reads a `.onebit` container (FORMAT.md) without trusting it: the preamble, the header length,
 * every section's bounds and the canonical zero-padded layout are checked against the file
 * length before any tensor is allocated; then every CRC-32 and the row padding bits.
 */
import { findDirtyRowPadding, rowWordsToFlat, type BinaryWeight } from '@onebit/bits';
import {
  ByteReader, ChecksumError, describeWrongFile, DTYPE_BYTES, elementCount, FormatError, LimitError, readElementsLE, tensor,
  TruncatedError, UnsupportedError, WrongFileError, type Tensor,
} from '@onebit/core';
import type { Container, ContainerTensor } from './container-types.js';
import { crc32, crcHex } from '@onebit/core';
import { inflateUnshuffle } from './float-encoding.js';
import { parseHeader, type BinaryEntry, type FloatEntry, type Header, type SectionRef } from './header.js';
import { align, FORMAT, isMagicPrefix, MAGIC, MIN_VERSION, PREAMBLE_BYTES, sniffContainer, VERSION } from './preamble.js';

/** Largest JSON header accepted; a WRN-20-10 header is a few kilobytes. */
export const MAX_HEADER_BYTES = 64 * 1024 * 1024;

interface NamedSection {
  readonly what: string;
  readonly ref: SectionRef;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function checkMagic(bytes: Uint8Array): void {
  if (sniffContainer(bytes)) return;
  if (isMagicPrefix(bytes)) throw new TruncatedError(FORMAT, 'magic', 0, MAGIC.length, bytes.length);
  const why = describeWrongFile(bytes);
  if (why) throw new WrongFileError(`Not a onebit container: ${why}`);
  throw new FormatError(FORMAT, `the file starts with ${hex(bytes.subarray(0, 8))}, not the onebit magic ${hex(new Uint8Array(MAGIC))}.`, 0);
}

function readHeader(bytes: Uint8Array): { header: Header; headerEnd: number; dataStart: number } {
  checkMagic(bytes);
  const r = new ByteReader(bytes, FORMAT);
  r.skip(MAGIC.length, 'magic');
  const version = r.u32('version');
  if (version < MIN_VERSION || version > VERSION) throw new UnsupportedError(`${FORMAT}: container version ${version} at byte 8 is not supported; this reader knows versions ${MIN_VERSION} to ${VERSION}.`);
  const headerLength = r.u32('header length');
  const storedCrc = r.u32('header CRC-32');
  if (headerLength > MAX_HEADER_BYTES) throw new LimitError(`${FORMAT}: header length ${headerLength} at byte 12 exceeds the ${MAX_HEADER_BYTES}-byte limit.`);
  const headerBytes = r.bytesView(headerLength, 'JSON header');
  const actualCrc = crc32(headerBytes);
  if (actualCrc !== storedCrc) throw new ChecksumError(FORMAT, 'header', crcHex(storedCrc), crcHex(actualCrc), PREAMBLE_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (cause) {
    throw new FormatError(FORMAT, `the ${headerLength}-byte header at byte ${PREAMBLE_BYTES} is not valid UTF-8 JSON (${(cause as Error).message}).`, PREAMBLE_BYTES, { cause });
  }
  const headerEnd = PREAMBLE_BYTES + headerLength;
  return { header: parseHeader(json, version), headerEnd, dataStart: align(headerEnd) };
}

function sectionsOf(header: Header): NamedSection[] {
  const list: NamedSection[] = [];
  if (header.graph) list.push({ what: 'graph section', ref: header.graph });
  for (const t of header.tensors) {
    list.push({ what: `tensor "${t.name}" data`, ref: t.data });
    if (t.role === 'binary-weight' && typeof t.scale !== 'number') list.push({ what: `tensor "${t.name}" scale`, ref: t.scale });
  }
  return list;
}

function checkZero(bytes: Uint8Array, from: number, to: number, what: string): void {
  for (let i = from; i < to; i++) {
    if (bytes[i] !== 0) throw new FormatError(FORMAT, `${what} byte ${i} is 0x${bytes[i]!.toString(16).padStart(2, '0')}; padding must be zero.`, i);
  }
}

/** Bounds, canonical order, zero gaps and exact end: every byte is either checked or covered by a CRC. */
function checkLayout(bytes: Uint8Array, dataStart: number, headerEnd: number, sections: NamedSection[]): void {
  for (const { what, ref } of sections) {
    const at = dataStart + ref.offset;
    if (at + ref.length > bytes.length) throw new TruncatedError(FORMAT, what, at, ref.length, bytes.length - at);
  }
  const sorted = [...sections].sort((a, b) => a.ref.offset - b.ref.offset || a.ref.length - b.ref.length);
  let end = 0;
  for (const { what, ref } of sorted) {
    if (ref.offset !== align(end)) throw new FormatError(FORMAT, `${what} is at data offset ${ref.offset}; the canonical layout puts it at ${align(end)}.`, dataStart + ref.offset);
    checkZero(bytes, dataStart + end, dataStart + ref.offset, `gap before ${what}:`);
    end = ref.offset + ref.length;
  }
  const fileEnd = sorted.length === 0 ? dataStart : dataStart + end;
  if (bytes.length < fileEnd) throw new TruncatedError(FORMAT, 'data area', dataStart, fileEnd - dataStart, bytes.length - dataStart);
  if (bytes.length > fileEnd) throw new FormatError(FORMAT, `${bytes.length - fileEnd} unexpected bytes follow the last section, which ends at byte ${fileEnd}.`, fileEnd);
  checkZero(bytes, headerEnd, dataStart, 'header padding:');
}

function sectionBytes(bytes: Uint8Array, dataStart: number, what: string, ref: SectionRef): Uint8Array {
  const at = dataStart + ref.offset;
  const view = bytes.subarray(at, at + ref.length);
  const actual = crcHex(crc32(view));
  if (actual !== ref.crc32) throw new ChecksumError(FORMAT, what, ref.crc32, actual, at);
  return view;
}

function readBinary(bytes: Uint8Array, dataStart: number, e: BinaryEntry): ContainerTensor {
  const { rows, rowLength, rowWords } = e.bits;
  const section = sectionBytes(bytes, dataStart, `tensor "${e.name}" data`, e.data);
  const words = new Uint32Array(rows * rowWords);
  new Uint8Array(words.buffer).set(section);
  const dirty = findDirtyRowPadding(words, rows, rowLength);
  if (dirty >= 0) {
    const at = dataStart + e.data.offset + ((dirty + 1) * rowWords - 1) * 4;
    throw new FormatError(FORMAT, `binary weight "${e.name}" row ${dirty} has set padding bits in its last word at byte ${at}; padding bits must be zero.`, at);
  }
  let scale: number | Float32Array;
  if (typeof e.scale === 'number') scale = e.scale;
  else {
    sectionBytes(bytes, dataStart, `tensor "${e.name}" scale`, e.scale);
    scale = readElementsLE('float32', bytes, dataStart + e.scale.offset, e.scale.dims[0]!);
  }
  // rows × 0 elements: nothing to unpack, and looping over 10^15 empty rows would hang
  const bits = rows * rowLength === 0 ? new Uint8Array(0) : rowWordsToFlat(words, rows, rowLength);
  const weight: BinaryWeight = { dims: [...e.dims], bits, scale };
  return { name: e.name, role: 'binary-weight', weight };
}

function readFloat(bytes: Uint8Array, dataStart: number, e: FloatEntry): ContainerTensor {
  const what = `tensor "${e.name}" data`;
  const stored = sectionBytes(bytes, dataStart, what, e.data);
  const n = elementCount(e.dims);
  if (e.encoding === 'shuffle-deflate') {
    const size = DTYPE_BYTES[e.dtype];
    const raw = inflateUnshuffle(stored, size, n * size, what, dataStart + e.data.offset);
    const data = readElementsLE(e.dtype, raw, 0, n);
    return { name: e.name, role: 'float', tensor: tensor(e.dtype, e.dims, data) as Tensor, encoding: 'shuffle-deflate' };
  }
  const data = readElementsLE(e.dtype, bytes, dataStart + e.data.offset, n);
  return { name: e.name, role: 'float', tensor: tensor(e.dtype, e.dims, data) as Tensor };
}

/** Parses and fully verifies a container; throws onebit typed errors for anything wrong with the bytes. */
export function readContainer(bytes: Uint8Array): Container {
  const { header, headerEnd, dataStart } = readHeader(bytes);
  const sections = sectionsOf(header);
  checkLayout(bytes, dataStart, headerEnd, sections);
  const tensors = header.tensors.map((e) => (e.role === 'binary-weight' ? readBinary(bytes, dataStart, e) : readFloat(bytes, dataStart, e)));
  if (!header.graph) return { model: header.model, tensors };
  const stored = sectionBytes(bytes, dataStart, 'graph section', header.graph);
  if (header.graph.encoding !== 'deflate') return { model: header.model, graph: stored.slice(), tensors };
  // A deflated stream of 1-byte elements: the shuffle is the identity, so this is plain bounded inflate.
  const graph = inflateUnshuffle(stored, 1, header.graph.rawLength!, 'graph section', dataStart + header.graph.offset);
  return { model: header.model, graph, graphEncoding: 'deflate', tensors };
}
