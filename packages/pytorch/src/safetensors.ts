/**
 * safetensors (https://github.com/huggingface/safetensors#format): an 8-byte little-endian header
 * length N, N bytes of UTF-8 JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__":
 * {str: str}}` (JSON whitespace may pad it on either side: the reference implementation's
 * `test_whitespace_leading_padded_header` requires readers to accept it), then the byte buffer. As the reference implementation
 * requires, the tensors must tile the buffer exactly: no overlaps, no holes, no trailing bytes.
 */
import { DTYPE_BYTES, type DType, FormatError, LimitError, type Tensor, TensorBudget, UnsupportedError, assertNotWrongFile, elementCount, readElementsLE } from '@onebit/core';

const FORMAT = 'safetensors';
/** The reference implementation's header size limit. */
export const MAX_SAFETENSORS_HEADER = 100_000_000;

export const SAFETENSORS_DTYPES: Readonly<Record<string, DType>> = {
  F64: 'float64', F32: 'float32', F16: 'float16', BF16: 'bfloat16',
  I64: 'int64', I32: 'int32', I16: 'int16', I8: 'int8',
  U64: 'uint64', U32: 'uint32', U16: 'uint16', U8: 'uint8', BOOL: 'bool',
};

export interface Safetensors {
  /** Tensors in buffer order. */
  tensors: Map<string, Tensor>;
  /** The optional `__metadata__` string map. */
  metadata: Record<string, string>;
}

/** A header value as short JSON for a message; never throws (deeply nested arrays overflow JSON.stringify's stack). */
function preview(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return 'a value nested too deeply to print';
  }
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The u64 header length, exact (a bigint, so a huge one is reported as written). */
function headerLength(bytes: Uint8Array): bigint | undefined {
  if (bytes.length < 8) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
}

/** Offset of the first non-whitespace byte of the header (JSON whitespace: space, tab, LF, CR), or `end`. */
function headerStart(bytes: Uint8Array, end: number): number {
  let at = 8;
  while (at < end && (bytes[at] === 0x20 || bytes[at] === 0x09 || bytes[at] === 0x0a || bytes[at] === 0x0d)) at++;
  return at;
}

/** True when the bytes start with a plausible header length followed by '{' (after optional whitespace). */
export function looksLikeSafetensors(bytes: Uint8Array): boolean {
  const n = headerLength(bytes);
  if (n === undefined || n < 2n || n > BigInt(MAX_SAFETENSORS_HEADER) || 8 + Number(n) > bytes.length) return false;
  return bytes[headerStart(bytes, 8 + Number(n))] === 0x7b;
}

/** 'safetensors' when the bytes look like a safetensors file, else undefined; never throws. */
export function sniffSafetensors(bytes: Uint8Array): 'safetensors' | undefined {
  return looksLikeSafetensors(bytes) ? 'safetensors' : undefined;
}

export interface ReadSafetensorsOptions {
  /** File name for messages. */
  name?: string;
  /**
   * Most bytes all tensors may take together, charged before each is copied out of the buffer;
   * default: no limit beyond the file itself (the tensors tile the buffer exactly, so they take the
   * file's own size). Pass one to bound what a reader of untrusted files allocates.
   */
  maxTensorBytes?: number;
}

/**
 * Reads a safetensors file into tensors in buffer order. Throws WrongFileError, FormatError (naming
 * the tensor and byte), UnsupportedError for a dtype onebit has no tensor type for, LimitError for a
 * header over 100 MB or tensors past `options.maxTensorBytes`.
 */
export function readSafetensors(bytes: Uint8Array, options: ReadSafetensorsOptions = {}): Safetensors {
  assertNotWrongFile(bytes, options.name);
  const length = headerLength(bytes);
  if (length === undefined) throw new FormatError(FORMAT, `the file has ${bytes.length} bytes, fewer than the 8-byte header length.`, 0);
  if (length > BigInt(MAX_SAFETENSORS_HEADER)) throw new LimitError(`${FORMAT}: the header length ${length} at byte 0 exceeds the ${MAX_SAFETENSORS_HEADER}-byte limit of the format's reference implementation.`);
  const n = Number(length);
  if (8 + n > bytes.length) throw new FormatError(FORMAT, `the header length ${n} at byte 0 runs past the end of the ${bytes.length}-byte file (file truncated or not safetensors?).`, 0);
  const start = headerStart(bytes, 8 + n);
  if (bytes[start] !== 0x7b || start >= 8 + n) {
    const what = start >= 8 + n ? 'is only whitespace' : `starts with byte 0x${bytes[start]!.toString(16).padStart(2, '0')}`;
    throw new FormatError(FORMAT, `the header at byte ${start} ${what} instead of '{'.`, start);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (error) {
    throw new FormatError(FORMAT, `the ${n}-byte header at byte 8 is not valid UTF-8 JSON (${(error as Error).message}).`, 8, { cause: error });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new FormatError(FORMAT, 'the header is not a JSON object.', 8);

  const bufferStart = 8 + n;
  const bufferLength = bytes.length - bufferStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: DType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof info !== 'object' || info === null || Array.isArray(info)) throw new FormatError(FORMAT, '__metadata__ is not an object of strings.', 8);
      for (const [k, v] of Object.entries(info)) {
        if (typeof v !== 'string') throw new FormatError(FORMAT, `__metadata__ entry '${k}' is ${preview(v)}, not a string.`, 8);
        metadata[k] = v;
      }
      continue;
    }
    const bad = (why: string): never => {
      throw new FormatError(FORMAT, `tensor '${name}' ${why}.`, 8);
    };
    if (typeof info !== 'object' || info === null) bad('has no {dtype, shape, data_offsets} entry');
    const { dtype: tag, shape, data_offsets: offsets } = info as Record<string, unknown>;
    if (typeof tag !== 'string') return bad(`has dtype ${preview(tag)}`);
    const dtype = SAFETENSORS_DTYPES[tag];
    if (!dtype) throw new UnsupportedError(`${FORMAT}: tensor '${name}' has dtype '${tag}', which onebit does not read (it reads ${Object.keys(SAFETENSORS_DTYPES).join(', ')}).`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return bad(`has shape ${preview(shape)} instead of a list of non-negative integers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) return bad(`has data_offsets ${preview(offsets)} instead of [begin, end]`);
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > bufferLength) return bad(`has data_offsets [${begin}, ${end}] outside the ${bufferLength}-byte data buffer`);
    const expected = elementCount(shape as number[]) * DTYPE_BYTES[dtype];
    if (end - begin !== expected) return bad(`of shape [${shape.join(', ')}] and dtype ${tag} needs ${expected} bytes but data_offsets [${begin}, ${end}] give ${end - begin}`);
    entries.push({ name, dtype, shape: shape as number[], begin, end });
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const e of entries) {
    if (e.begin < cursor) throw new FormatError(FORMAT, `tensor '${e.name}' data [${e.begin}, ${e.end}] overlaps the previous tensor's, which ends at ${cursor}.`, bufferStart + e.begin);
    if (e.begin > cursor) throw new FormatError(FORMAT, `the data buffer has a ${e.begin - cursor}-byte hole before tensor '${e.name}' at buffer offset ${cursor}.`, bufferStart + cursor);
    cursor = e.end;
  }
  if (cursor !== bufferLength) throw new FormatError(FORMAT, `the tensors cover ${cursor} bytes of the ${bufferLength}-byte data buffer (trailing or missing bytes).`, bufferStart + cursor);
  const tensors = new Map<string, Tensor>();
  const budget = new TensorBudget(options.maxTensorBytes ?? Number.MAX_SAFE_INTEGER);
  for (const e of entries) {
    budget.charge(FORMAT, `tensor '${e.name}' of shape [${e.shape.join(', ')}] (${e.dtype})`, e.end - e.begin);
    tensors.set(e.name, { dtype: e.dtype, dims: e.shape, data: readElementsLE(e.dtype, bytes, bufferStart + e.begin, elementCount(e.shape)) } as Tensor);
  }
  return { tensors, metadata };
}
