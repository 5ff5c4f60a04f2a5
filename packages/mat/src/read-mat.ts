/**
 * Reads a MATLAB MAT-file level 5 (the format of save -v6 and -v7): the header, then one top-level
 * element per variable, either an miMATRIX or an miCOMPRESSED element holding a zlib-compressed
 * miMATRIX. Hand-written because no maintained JS library reads MAT v5 correctly.
 * Spec: https://www.mathworks.com/help/pdf_doc/matlab/matfile_format.pdf
 */
import { adler32, ByteReader, ChecksumError, FormatError, TensorBudget } from '@onebit/core';
import { type ElementTag, readTag, skipPadding } from './data-element.js';
import { readHeader, HEADER_BYTES } from './header.js';
import { inflateLimited, inflatePrefix } from './inflate.js';
import { dataTypeName, miCOMPRESSED, miMATRIX } from './mat-codes.js';
import type { MatFile, MatValue, ReadMatOptions } from './mat-types.js';
import { MAX_EMPTY_STRUCT_ELEMENTS, type MatrixContext, readArrayHeader, readMatrixBody } from './matrix.js';

/**
 * Most bytes all miCOMPRESSED variables of one file may inflate to, together: 512 MiB, over a
 * hundred times the authors' 4 MB release files, while a 2 MB zlib bomb could reach ~2 GiB.
 */
export const DEFAULT_MAX_INFLATED_BYTES = 512 * 1024 ** 2;
export const DEFAULT_MAX_DEPTH = 64;
/**
 * Most bytes all decoded arrays of one file may take, together: 256 MiB, ten times what the authors'
 * largest release file decodes to (26.9 MB), while a 65 KB compressed file declaring a uint8-stored
 * double matrix could otherwise make the reader allocate 512 MiB.
 */
export const DEFAULT_MAX_TENSOR_BYTES = 256 * 1024 ** 2;

/**
 * Reads every variable of a level-5 MAT file; throws a typed error naming the byte of any problem:
 * FormatError/TruncatedError/ChecksumError for corrupt data, UnsupportedError for classes onebit does
 * not read (sparse, objects, opaque), LimitError when `options` limits are passed (each message names
 * the option to raise).
 */
export function readMat(bytes: Uint8Array, options: ReadMatOptions = {}): MatFile {
  const maxInflatedBytes = options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  const context: MatrixContext = {
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    budget: new TensorBudget(options.maxTensorBytes ?? DEFAULT_MAX_TENSOR_BYTES),
    emptyStructElementsLeft: MAX_EMPTY_STRUCT_ELEMENTS,
  };
  const { header, version, littleEndian } = readHeader(bytes);
  const reader = new ByteReader(bytes, 'MAT', 0, littleEndian);
  reader.seek(HEADER_BYTES);
  const variables = new Map<string, MatValue>();
  const inflated = { bytes: 0 };
  while (reader.remaining > 0) {
    // Some writers end the file with zero padding shorter than a tag.
    if (reader.remaining < 8 && reader.bytes.subarray(reader.position).every((b) => b === 0)) break;
    const tag = readTag(reader, 'variable');
    const { name, value } = tag.type === miCOMPRESSED
      ? readCompressed(reader, tag, maxInflatedBytes, inflated, context)
      : readPlain(reader, tag, context);
    const key = name === '' ? '__function_workspace__' : name;
    if (variables.has(key)) throw new FormatError('MAT', `variable "${key}" at byte ${tag.offset} appears a second time.`, tag.offset);
    variables.set(key, value);
  }
  return { header, version, littleEndian, variables };
}

function readPlain(reader: ByteReader, tag: ElementTag, context: MatrixContext): { name: string; value: MatValue } {
  if (tag.type !== miMATRIX) {
    throw new FormatError('MAT', `variable at byte ${tag.offset} has type ${dataTypeName(tag.type)} where miMATRIX (14) or miCOMPRESSED (15) was expected.`, tag.offset);
  }
  const body = reader.sub(tag.size, 'variable data');
  skipPadding(reader, tag);
  return readMatrixBody(body, undefined, 0, context);
}

/** Inflated bytes enough for a variable's tag, flags, dims and name. */
const NAME_PROBE_BYTES = 4096;

/** A compressed variable: not padded to 8 bytes; its offsets in messages count within the inflated data. */
function readCompressed(reader: ByteReader, tag: ElementTag, maxInflatedBytes: number, used: { bytes: number }, context: MatrixContext): { name: string; value: MatValue } {
  if (tag.size > reader.remaining) {
    // Name the variable a truncated copy cut into: its header is in the first inflated bytes.
    const name = peekName(inflatePrefix(reader.bytes.subarray(reader.position), NAME_PROBE_BYTES), reader.littleEndian);
    if (name !== undefined) reader.bytesView(tag.size, `compressed variable "${name}"`);
  }
  const compressed = reader.bytesView(tag.size, 'compressed variable data');
  const inflated = inflateLimited(compressed, maxInflatedBytes, tag.offset, used.bytes, (head) => peekName(head, reader.littleEndian));
  used.bytes += inflated.length;
  const name = peekName(inflated, reader.littleEndian);
  const format = `MAT (compressed variable ${name === undefined ? '' : `"${name}" `}at byte ${tag.offset}; offsets are within its inflated data)`;
  // fflate does not check the zlib trailer: the big-endian Adler-32 of the inflated bytes (RFC 1950).
  const stored = compressed.length >= 4 ? new DataView(compressed.buffer, compressed.byteOffset + compressed.length - 4, 4).getUint32(0, false) : -1;
  const computed = adler32(inflated);
  if (stored !== computed) {
    const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
    throw new ChecksumError('MAT', `compressed variable ${name === undefined ? '' : `"${name}" `}at byte ${tag.offset}: zlib Adler-32`, hex(stored), hex(computed), tag.offset + 8 + compressed.length - 4);
  }
  const inner = new ByteReader(inflated, format, 0, reader.littleEndian);
  const innerTag = readTag(inner, 'inflated variable');
  if (innerTag.type !== miMATRIX) {
    throw new FormatError(format, `inflated variable at byte 0 has type ${dataTypeName(innerTag.type)} where miMATRIX (14) was expected.`, 0);
  }
  return readMatrixBody(inner.sub(innerTag.size, 'inflated variable'), undefined, 0, context);
}

/** The variable name inside inflated data, or undefined when its header is unreadable (reported later). */
function peekName(inflated: Uint8Array, littleEndian: boolean): string | undefined {
  try {
    const probe = new ByteReader(inflated, 'MAT', 0, littleEndian);
    readTag(probe, 'variable');
    return readArrayHeader(probe).name;
  } catch {
    return undefined;
  }
}
