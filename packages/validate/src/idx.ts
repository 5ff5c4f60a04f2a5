/**
 * IDX files (the MNIST format, http://yann.lecun.com/exdb/mnist/): magic of two zero bytes, a type
 * byte (0x08 uint8 … 0x0E float64) and a dimension count, then one big-endian uint32 per dimension,
 * then big-endian C-order data.
 */
import { ByteReader, FormatError, TruncatedError, allocate, assertNotWrongFile, tensor, type DType, type Tensor } from '@onebit/core';

const TYPES: Readonly<Record<number, [DType, number]>> = {
  0x08: ['uint8', 1], 0x09: ['int8', 1], 0x0b: ['int16', 2], 0x0c: ['int32', 4], 0x0d: ['float32', 4], 0x0e: ['float64', 8],
};

/** An IDX file's header: element type, dimensions and where the data starts. */
export interface IdxHeader {
  readonly dtype: DType;
  /** Bytes per element. */
  readonly size: number;
  readonly dims: readonly number[];
  /** Byte offset of the first element. */
  readonly start: number;
}

/**
 * Parses the header at the start of `bytes` (which may hold only the beginning of the file) and
 * checks that a file of `fileLength` bytes holds exactly the data it declares.
 */
export function readIdxHeader(bytes: Uint8Array, fileLength = bytes.length): IdxHeader {
  const r = new ByteReader(bytes, 'IDX', 0, false);
  const zero = r.u16('magic');
  if (zero !== 0) throw new FormatError('IDX', `magic 0x${zero.toString(16).padStart(4, '0')} at byte 0 is not 0x0000 (not an IDX file).`, 0);
  const code = r.u8('type code');
  const type = TYPES[code];
  if (!type) throw new FormatError('IDX', `type code 0x${code.toString(16).padStart(2, '0')} at byte 2 is not one of 0x08, 0x09, 0x0B–0x0E.`, 2);
  const rank = r.u8('dimension count');
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(r.u32(`dimension ${i}`));
  const [dtype, size] = type;
  const count = dims.reduce((a, b) => a * b, 1);
  const start = r.offset;
  const remaining = fileLength - start;
  if (remaining < count * size) throw new TruncatedError('IDX', `data of shape ${dims.join('×')}`, start, count * size, remaining);
  if (remaining > count * size) throw new FormatError('IDX', `${remaining - count * size} unexpected bytes follow the data at byte ${start + count * size}.`, start + count * size);
  return { dtype, size, dims, start };
}

/** Reads an IDX file into a tensor (data converted to little-endian). */
export function readIdx(bytes: Uint8Array): Tensor {
  assertNotWrongFile(bytes, 'the IDX file');
  const { dtype, size, dims, start } = readIdxHeader(bytes);
  const count = dims.reduce((a, b) => a * b, 1);
  const out = allocate(dtype, count);
  const dst = new Uint8Array(out.buffer);
  for (let i = 0; i < count * size; i += size) for (let j = 0; j < size; j++) dst[i + j] = bytes[start + i + size - 1 - j]!;
  return tensor(dtype, dims, out) as Tensor;
}
