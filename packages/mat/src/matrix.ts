/**
 * One miMATRIX element: array flags, dimensions, name, then the class's own subelements — numeric
 * real/imaginary parts, char data, cell elements, or struct field names and field values. Cells and
 * structs recurse into nested miMATRIX elements. Sparse, object, function-handle and opaque arrays
 * are refused by name.
 */
import { ByteReader, FormatError, LimitError, type TensorBudget, UnsupportedError } from '@onebit/core';
import { type ElementTag, readElement, readTag, skipPadding } from './data-element.js';
import {
  FLAG_COMPLEX, FLAG_LOGICAL, NUMERIC_CLASS_NAMES, classCodeName, dataTypeName, miINT32, miINT8, miMATRIX,
  miUINT16, miUINT32, miUINT8, miUTF16, miUTF32, miUTF8, mxCELL_CLASS, mxCHAR_CLASS, mxFUNCTION_CLASS,
  mxOBJECT_CLASS, mxOPAQUE_CLASS, mxSPARSE_CLASS, mxSTRUCT_CLASS,
} from './mat-codes.js';
import type { MatCell, MatChar, MatClassName, MatNumeric, MatStruct, MatValue } from './mat-types.js';
import { decodeNumeric } from './numeric-data.js';
import { permuteToRowMajor } from './column-major.js';

export type ArrayHeader = { flags: number; classCode: number; dims: number[]; count: number; name: string; offset: number };

export type MatrixContext = {
  maxDepth: number;
  /** Bytes the file's decoded arrays may still take (maxTensorBytes), charged before each allocation. */
  budget: TensorBudget;
  /** Field-less struct elements the rest of the file may still create (they take no bytes, so only a budget bounds them). */
  emptyStructElementsLeft: number;
};

/** Most field-less struct elements in a whole file (not per struct: a cell of many such structs would multiply it). */
export const MAX_EMPTY_STRUCT_ELEMENTS = 1 << 20;

const UNSUPPORTED: Readonly<Record<number, string>> = {
  [mxSPARSE_CLASS]: 'a sparse array', [mxOBJECT_CLASS]: 'a MATLAB object', [mxFUNCTION_CLASS]: 'a function handle',
  [mxOPAQUE_CLASS]: 'an opaque object (e.g. a string, table or class instance)',
};

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/**
 * The error for an opaque object (MATLAB `string`, `table`, class instances): its header has no
 * dimensions but a name, a type system ('MCOS') and a class name (layout as scipy's `read_opaque`).
 */
function opaqueError(body: ByteReader, offset: number): UnsupportedError {
  const name = latin1(readElement(body, 'opaque object name', [miINT8, miUINT8]).data);
  const typeSystem = latin1(readElement(body, `type system of "${name}"`, [miINT8, miUINT8]).data);
  const className = latin1(readElement(body, `class name of "${name}"`, [miINT8, miUINT8]).data);
  return new UnsupportedError(`${body.format}: ${describePath(name)} at byte ${offset} is a MATLAB ${typeSystem} object of class "${className}" (mxOPAQUE_CLASS), which onebit does not read; save it as a numeric or char array.`);
}

/** Reads the array flags, dimensions and name that open every miMATRIX body. */
export function readArrayHeader(body: ByteReader): ArrayHeader {
  // Messages name the array by its miMATRIX tag, the 8 bytes before the body.
  const offset = body.offset - 8;
  const flagsElement = readElement(body, 'array flags', [miUINT32]);
  if (flagsElement.tag.size !== 8) {
    throw new FormatError(body.format, `array flags at byte ${flagsElement.tag.offset} have ${flagsElement.tag.size} bytes instead of 8.`, flagsElement.tag.offset);
  }
  const flags = new DataView(flagsElement.data.buffer, flagsElement.data.byteOffset, 8).getUint32(0, body.littleEndian);
  if ((flags & 0xff) === mxOPAQUE_CLASS) throw opaqueError(body, offset);
  // scipy accepts dimensions written as miUINT32 too (some writers do); huge values are caught by the element-count and data-length checks.
  const dimsElement = readElement(body, 'dimensions', [miINT32, miUINT32]);
  const dimsAt = dimsElement.tag.offset;
  if (dimsElement.tag.size % 4 !== 0 || dimsElement.tag.size < 8) {
    throw new FormatError(body.format, `dimensions at byte ${dimsAt} have ${dimsElement.tag.size} bytes, not a whole number of at least two int32 values.`, dimsAt);
  }
  const view = new DataView(dimsElement.data.buffer, dimsElement.data.byteOffset, dimsElement.tag.size);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < dimsElement.tag.size; i += 4) {
    const d = dimsElement.tag.type === miUINT32 ? view.getUint32(i, body.littleEndian) : view.getInt32(i, body.littleEndian);
    if (d < 0) throw new FormatError(body.format, `dimension ${d} at byte ${dimsAt + 8 + i} is negative.`, dimsAt);
    dims.push(d);
    count *= d;
  }
  if (!Number.isSafeInteger(count)) throw new LimitError(`${body.format}: dimensions [${dims.join(', ')}] at byte ${dimsAt} describe more elements than can be counted exactly.`);
  // Names are ASCII; scipy also accepts them stored as miUTF8.
  const nameElement = readElement(body, 'array name', [miINT8, miUINT8, miUTF8]);
  const name = nameElement.tag.type === miUTF8 ? new TextDecoder('utf-8').decode(nameElement.data) : latin1(nameElement.data);
  return { flags, classCode: flags & 0xff, dims, count, name, offset };
}

/** Reads a whole miMATRIX body (the element's data, without its tag); `path` names it in messages. */
export function readMatrixBody(body: ByteReader, path: string | undefined, depth: number, context: MatrixContext): { name: string; value: MatValue } {
  if (depth > context.maxDepth) {
    throw new LimitError(`${body.format}: ${describePath(path ?? '')} at byte ${body.offset - 8} is nested more than ${context.maxDepth} cells or structs deep (maxDepth).`);
  }
  // An empty miMATRIX (no subelements at all) is how writers store an empty [] in a cell or field.
  if (body.length === 0) return { name: '', value: { kind: 'numeric', className: 'double', logical: false, dims: [0, 0], data: new Float64Array(0) } };
  const header = readArrayHeader(body);
  const where = path ?? header.name;
  const { classCode } = header;
  let value: MatValue;
  if (classCode in NUMERIC_CLASS_NAMES) value = readNumeric(body, header, where, context.budget);
  else if (classCode === mxCHAR_CLASS) value = readChar(body, header, where, context.budget);
  else if (classCode === mxCELL_CLASS) value = readCell(body, header, where, depth, context);
  else if (classCode === mxSTRUCT_CLASS) value = readStruct(body, header, where, depth, context);
  else if (UNSUPPORTED[classCode]) {
    throw new UnsupportedError(`${body.format}: ${describePath(where)} at byte ${header.offset} is ${UNSUPPORTED[classCode]} (${classCodeName(classCode)}), which onebit does not read.`);
  } else {
    throw new FormatError(body.format, `${describePath(where)} at byte ${header.offset} has ${classCodeName(classCode)}, which a level-5 file cannot contain.`, header.offset);
  }
  return { name: header.name, value };
}

function describePath(path: string): string {
  return path === '' ? 'an unnamed array' : `"${path}"`;
}

function readNumeric(body: ByteReader, header: ArrayHeader, path: string, budget: TensorBudget): MatNumeric {
  const className: MatClassName = NUMERIC_CLASS_NAMES[header.classCode as keyof typeof NUMERIC_CLASS_NAMES];
  const logical = (header.flags & FLAG_LOGICAL) !== 0;
  const part = (what: string) => {
    const tag = readTag(body, `${what} of "${path}"`);
    const bytes = body.bytesView(tag.size, `${what} of "${path}"`);
    skipPadding(body, tag);
    return decodeNumeric(className, tag.type, bytes, header.count, body.littleEndian, { format: body.format, offset: tag.offset, what: `${what} of "${path}"` }, budget);
  };
  const data = part('real part');
  const base = { kind: 'numeric', className, logical, dims: header.dims, data } as MatNumeric;
  if ((header.flags & FLAG_COMPLEX) === 0) return base;
  return { ...base, imag: part('imaginary part') } as MatNumeric;
}

function readChar(body: ByteReader, header: ArrayHeader, path: string, budget: TensorBudget): MatChar {
  const { tag, data } = readElement(body, `characters of "${path}"`, [miUTF8, miUTF16, miUINT16, miUINT8, miINT8, miUTF32]);
  const { dims, count } = header;
  // The text takes 2 bytes per UTF-16 code unit; dimensions without data can declare any count.
  budget.charge(body.format, `characters of "${path}" at byte ${tag.offset} (dimensions [${dims.join(', ')}])`, 2 * Math.max(count, data.length));
  // MATLAB writes some char arrays with dimensions but no character data; scipy reads them as spaces.
  if (data.length === 0) return { kind: 'char', dims, text: blankText(dims, count) };
  const units = decodeText(tag, data, body.littleEndian);
  if (units.length !== count) {
    // A UTF-8 vector whose text does not match its element count (some writers count bytes) is kept as decoded.
    if (tag.type === miUTF8 && dims.filter((d) => d !== 1).length <= 1) return { kind: 'char', dims, text: units.join('') };
    throw new FormatError(body.format, `characters of "${path}" at byte ${tag.offset} decode to ${units.length} characters but dimensions [${dims.join(', ')}] need ${count}.`, tag.offset);
  }
  const rowMajor = new Array<string>(count);
  permuteToRowMajor(units, rowMajor, dims);
  const rowLength = dims.length === 0 ? count : dims[dims.length - 1]!;
  const rows: string[] = [];
  for (let i = 0; i < count; i += rowLength) rows.push(rowMajor.slice(i, i + rowLength).join(''));
  return { kind: 'char', dims, text: rows.join('\n') };
}

/** The text of `count` spaces in rows of the last dimension (a char array stored without data). */
function blankText(dims: readonly number[], count: number): string {
  const rowLength = dims.length === 0 ? count : dims[dims.length - 1]!;
  if (count === 0 || rowLength === 0) return '';
  return new Array<string>(count / rowLength).fill(' '.repeat(rowLength)).join('\n');
}

/** Splits char data into one string per UTF-16 code unit (a MATLAB char is one code unit). */
function decodeText(tag: ElementTag, data: Uint8Array, littleEndian: boolean): string[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (tag.type === miUTF8) return new TextDecoder('utf-8').decode(data).split('');
  if (tag.type === miUINT8 || tag.type === miINT8) return Array.from(data, (b) => String.fromCharCode(b));
  const out: string[] = [];
  if (tag.type === miUTF32) {
    for (let i = 0; i + 4 <= data.length; i += 4) out.push(String.fromCodePoint(Math.min(view.getUint32(i, littleEndian), 0x10ffff)));
    return out;
  }
  for (let i = 0; i + 2 <= data.length; i += 2) out.push(String.fromCharCode(view.getUint16(i, littleEndian)));
  return out;
}

function readCell(body: ByteReader, header: ArrayHeader, path: string, depth: number, context: MatrixContext): MatCell {
  // Each cell is at least an 8-byte tag, so refuse impossible counts before allocating.
  if (header.count * 8 > body.remaining) {
    throw new FormatError(body.format, `cell array "${path}" at byte ${header.offset} has ${header.count} cells but only ${body.remaining} bytes remain for them.`, header.offset);
  }
  const cells: MatValue[] = [];
  for (let i = 0; i < header.count; i++) cells.push(readNested(body, `${path}{${i + 1}}`, depth, context));
  return { kind: 'cell', dims: header.dims, cells };
}

function readStruct(body: ByteReader, header: ArrayHeader, path: string, depth: number, context: MatrixContext): MatStruct {
  const lengthElement = readElement(body, `field name length of "${path}"`, [miINT32]);
  if (lengthElement.tag.size !== 4) {
    throw new FormatError(body.format, `field name length of "${path}" at byte ${lengthElement.tag.offset} has ${lengthElement.tag.size} bytes instead of 4.`, lengthElement.tag.offset);
  }
  const nameLength = new DataView(lengthElement.data.buffer, lengthElement.data.byteOffset, 4).getInt32(0, body.littleEndian);
  const namesElement = readElement(body, `field names of "${path}"`, [miINT8, miUINT8]);
  const namesAt = namesElement.tag.offset;
  if (nameLength <= 0 && namesElement.data.length > 0 || nameLength > 0 && namesElement.data.length % nameLength !== 0) {
    throw new FormatError(body.format, `field names of "${path}" at byte ${namesAt} have ${namesElement.data.length} bytes, not a multiple of the field name length ${nameLength}.`, namesAt);
  }
  const fieldNames: string[] = [];
  for (let i = 0; i < namesElement.data.length; i += nameLength) {
    const raw = namesElement.data.subarray(i, i + nameLength);
    const end = raw.indexOf(0);
    fieldNames.push(latin1(end < 0 ? raw : raw.subarray(0, end)));
  }
  // MATLAB reads a struct whose field names repeat; scipy keeps every field, renaming the n-th repeat
  // of `name` to `_n_name`. onebit does the same and records the renames for `describe`.
  const renamedFields: Array<{ from: string; to: string }> = [];
  const seen = new Map<string, number>();
  fieldNames.forEach((name, i) => {
    const repeats = seen.get(name) ?? 0;
    seen.set(name, repeats + 1);
    if (repeats === 0) return;
    let to = `_${repeats}_${name}`;
    while (fieldNames.includes(to)) to = `_${to}`;
    fieldNames[i] = to;
    renamedFields.push({ from: name, to });
  });
  // Elements without fields take no bytes, so only a limit stops a huge count of them.
  if (fieldNames.length === 0) {
    if (header.count > context.emptyStructElementsLeft) {
      throw new LimitError(`${body.format}: struct array "${path}" at byte ${header.offset} has ${header.count} elements without fields, more than the ${context.emptyStructElementsLeft} onebit accepts${context.emptyStructElementsLeft < MAX_EMPTY_STRUCT_ELEMENTS ? ' in the rest of the file' : ''}.`);
    }
    context.emptyStructElementsLeft -= header.count;
  }
  if (header.count * fieldNames.length * 8 > body.remaining) {
    throw new FormatError(body.format, `struct array "${path}" at byte ${header.offset} has ${header.count} elements of ${fieldNames.length} fields but only ${body.remaining} bytes remain for them.`, header.offset);
  }
  const elements: Array<Map<string, MatValue>> = [];
  for (let i = 0; i < header.count; i++) {
    const element = new Map<string, MatValue>();
    const prefix = header.count === 1 ? path : `${path}(${i + 1})`;
    for (const field of fieldNames) element.set(field, readNested(body, `${prefix}.${field}`, depth, context));
    elements.push(element);
  }
  return { kind: 'struct', dims: header.dims, fieldNames, elements, ...(renamedFields.length > 0 ? { renamedFields } : {}) };
}

/** Reads a nested miMATRIX element (tag, body, padding) inside a cell or struct. */
function readNested(body: ByteReader, path: string, depth: number, context: MatrixContext): MatValue {
  const tag = readTag(body, `"${path}"`);
  if (tag.type !== miMATRIX) {
    throw new FormatError(body.format, `"${path}" at byte ${tag.offset} has type ${dataTypeName(tag.type)} where ${dataTypeName(miMATRIX)} was expected.`, tag.offset);
  }
  const inner = body.sub(tag.size, `"${path}"`);
  skipPadding(body, tag);
  return readMatrixBody(inner, path, depth + 1, context).value;
}
