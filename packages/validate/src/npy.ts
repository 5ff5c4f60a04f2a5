/**
 * NumPy `.npy` files (format spec: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
 * magic `\x93NUMPY`, version byte pair, header length (uint16 in v1, uint32 in v2/v3), a Python dict
 * literal `{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 10), }`, then the raw C-order data.
 */
import { ByteReader, FormatError, TruncatedError, UnsupportedError, allocate, assertNotWrongFile, readElementsLE, tensor, type DType, type Tensor } from '@onebit/core';

const MAGIC = '\x93NUMPY';

/** numpy type character + item size → onebit dtype. */
const DTYPES: Readonly<Record<string, DType>> = {
  f2: 'float16', f4: 'float32', f8: 'float64',
  i1: 'int8', i2: 'int16', i4: 'int32', i8: 'int64',
  u1: 'uint8', u2: 'uint16', u4: 'uint32', u8: 'uint64',
  b1: 'bool',
};

/** Reads a `.npy` file into a tensor; big-endian data is byte-swapped, Fortran order is refused. */
export function readNpy(bytes: Uint8Array): Tensor {
  assertNotWrongFile(bytes, 'the .npy file');
  const r = new ByteReader(bytes, 'NPY');
  const magic = r.ascii(Math.min(6, bytes.length), 'magic');
  if (magic !== MAGIC) throw new FormatError('NPY', `magic ${JSON.stringify(magic)} at byte 0 is not "\\x93NUMPY".`, 0);
  const major = r.u8('major version');
  r.u8('minor version');
  if (major < 1 || major > 3) throw new UnsupportedError(`NPY: format version ${major} at byte 6 is not 1, 2 or 3.`);
  const headerLength = major === 1 ? r.u16('header length') : r.u32('header length');
  const headerStart = r.offset;
  const headerBytes = r.bytesView(headerLength, 'header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new FormatError('NPY', `header ${JSON.stringify(header.trim())} at byte ${headerStart} lacks 'descr', 'fortran_order' or 'shape'.`, headerStart);
  }
  if (fortran === 'True') throw new UnsupportedError(`NPY: fortran_order True in the header at byte ${headerStart} is not supported; save the array in C order.`);
  const dims = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((s) => {
    const d = Number(s.replace(/L$/, ''));
    if (!Number.isSafeInteger(d) || d < 0) throw new FormatError('NPY', `shape entry ${JSON.stringify(s)} in the header at byte ${headerStart} is not a non-negative integer.`, headerStart);
    return d;
  });

  const m = /^([<>|=])([a-z])(\d+)$/.exec(descr);
  const dtype = m ? DTYPES[`${m[2]}${m[3]}`] : undefined;
  if (!m || !dtype) throw new UnsupportedError(`NPY: dtype ${JSON.stringify(descr)} in the header at byte ${headerStart} is not supported.`);
  const size = Number(m[3]);
  const count = dims.reduce((a, b) => a * b, 1);
  const dataStart = r.offset;
  if (!Number.isSafeInteger(count * size)) throw new FormatError('NPY', `shape (${dims.join(', ')}) in the header at byte ${headerStart} is too large.`, headerStart);
  if (r.remaining < count * size) throw new TruncatedError('NPY', `data of shape (${dims.join(', ')}) ${descr}`, dataStart, count * size, r.remaining);
  if (r.remaining > count * size) throw new FormatError('NPY', `${r.remaining - count * size} unexpected bytes follow the data at byte ${dataStart + count * size}.`, dataStart + count * size);

  if (m[1] !== '>' || size === 1) return tensor(dtype, dims, readElementsLE(dtype, bytes, dataStart, count)) as Tensor;
  // Big-endian: reverse each element's bytes into the little-endian typed array.
  const out = allocate(dtype, count);
  const dst = new Uint8Array(out.buffer);
  for (let i = 0; i < count * size; i += size) for (let j = 0; j < size; j++) dst[i + j] = bytes[dataStart + i + size - 1 - j]!;
  return tensor(dtype, dims, out) as Tensor;
}
