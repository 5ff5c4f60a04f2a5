/**
 * Tiny MAT level-5 files built byte by byte (little- and big-endian, plain and miCOMPRESSED,
 * numeric, char, cell and struct variables) as seeds for the MAT reader. The layout follows the
 * MathWorks "MAT-File Format" PDF; packages/mat has the same builder for its own tests.
 */
import { zlibSync } from 'fflate';
import type { Seed } from '../mutation.js';
import { repoSeeds, sharedSeeds } from './fixture-files.js';
import { concatBytes } from '../concat-bytes.js';

const miINT8 = 1, miUINT8 = 2, miINT32 = 5, miUINT32 = 6, miSINGLE = 7, miDOUBLE = 9, miMATRIX = 14, miCOMPRESSED = 15, miUTF8 = 16;
const mxCELL = 1, mxSTRUCT = 2, mxCHAR = 4, mxDOUBLE = 6, mxSINGLE = 7, mxUINT8 = 9;


function u32s(values: number[], le: boolean, signed = false): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => (signed ? view.setInt32(i * 4, v, le) : view.setUint32(i * 4, v, le)));
  return out;
}

function element(type: number, data: Uint8Array, le: boolean, small = false): Uint8Array {
  if (small && data.length <= 4) return concatBytes(u32s([(data.length << 16) | type], le), data, new Uint8Array(4 - data.length));
  return concatBytes(u32s([type, data.length], le), data, new Uint8Array((8 - (data.length % 8)) % 8));
}

function matrix(classCode: number, dims: number[], name: string, parts: Uint8Array[], le: boolean, flags = 0): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  return element(miMATRIX, concatBytes(
    element(miUINT32, u32s([flags | classCode, 0], le), le),
    element(miINT32, u32s(dims, le, true), le),
    element(miINT8, nameBytes, le, nameBytes.length > 0 && nameBytes.length <= 4),
    ...parts,
  ), le);
}

function doubles(values: number[], le: boolean): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  values.forEach((v, i) => new DataView(out.buffer).setFloat64(i * 8, v, le));
  return out;
}

function singles(values: number[], le: boolean): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  values.forEach((v, i) => new DataView(out.buffer).setFloat32(i * 4, v, le));
  return out;
}

const SEED_TEXT = 'MATLAB 5.0 MAT-file, Platform: onebit fuzz seed';

/** A level-5 header: `text` padded with spaces, version 0x0100, 'IM'/'MI' for the byte order. */
export function matHeader(text: string, le = true): Uint8Array {
  const out = new Uint8Array(128).fill(0x20);
  out.set(new TextEncoder().encode(text));
  out.fill(0, 116, 124);
  new DataView(out.buffer).setUint16(124, 0x0100, le);
  new DataView(out.buffer).setUint16(126, 0x4d49, le);
  return out;
}

function compressed(matrixElement: Uint8Array, le: boolean): Uint8Array {
  const z = zlibSync(matrixElement);
  return concatBytes(u32s([miCOMPRESSED, z.length], le), z);
}

function variables(le: boolean): Uint8Array[] {
  const weights = matrix(mxDOUBLE, [2, 3], 'w', [element(miDOUBLE, doubles([1, -1, 1, -1, -1, 1], le), le)], le);
  const stored = matrix(mxDOUBLE, [1, 4], 'u8d', [element(miUINT8, Uint8Array.from([0, 1, 1, 0]), le)], le);
  const single = matrix(mxSINGLE, [2, 2], 'bias', [element(miSINGLE, singles([0.5, -0.25, 2, 3], le), le)], le);
  const text = matrix(mxCHAR, [1, 5], 'arch', [element(miUTF8, new TextEncoder().encode('wrn20'), le)], le);
  const cell = matrix(mxCELL, [1, 2], 'layers', [
    matrix(mxUINT8, [1, 3], '', [element(miUINT8, Uint8Array.from([1, 2, 3]), le)], le),
    matrix(mxDOUBLE, [1, 1], '', [element(miDOUBLE, doubles([7], le), le)], le),
  ], le);
  const names = new Uint8Array(16);
  names.set(new TextEncoder().encode('a'), 0);
  names.set(new TextEncoder().encode('b'), 8);
  const struct = matrix(mxSTRUCT, [1, 1], 'net', [
    element(miINT32, u32s([8], le, true), le, true),
    element(miINT8, names, le),
    matrix(mxDOUBLE, [1, 1], '', [element(miDOUBLE, doubles([1], le), le)], le),
    matrix(mxCHAR, [1, 2], '', [element(miUTF8, new TextEncoder().encode('hi'), le)], le),
  ], le);
  return [weights, stored, single, text, cell, struct];
}

/** A handful of small MAT files covering each element kind the reader handles. */
export function matSeeds(): Seed[] {
  const seeds: Seed[] = [];
  for (const le of [true, false]) {
    const vars = variables(le);
    const order = le ? 'le' : 'be';
    seeds.push({ name: `mat/plain-${order}`, bytes: concatBytes(matHeader(SEED_TEXT, le), ...vars) });
    seeds.push({ name: `mat/compressed-${order}`, bytes: concatBytes(matHeader(SEED_TEXT, le), ...vars.map((v) => compressed(v, le))) });
  }
  seeds.push({ name: 'mat/one-double', bytes: concatBytes(matHeader(SEED_TEXT), variables(true)[0]!) });
  // layouts scipy accepts: dimensions as miUINT32, a name as miUTF8; a double array stored as int8 (widened 8× when decoded)
  const utf8Name = new TextEncoder().encode('größe');
  const uint32Dims = element(miMATRIX, concatBytes(
    element(miUINT32, u32s([mxDOUBLE, 0], true), true), element(miUINT32, u32s([1, 2], true), true), element(miUTF8, utf8Name, true),
    element(miDOUBLE, doubles([1, 2], true), true)), true);
  const widened = matrix(mxDOUBLE, [16, 16], 'wide', [element(miINT8, new Uint8Array(256).fill(1), true)], true);
  seeds.push({ name: 'mat/uint32-dims-utf8-name', bytes: concatBytes(matHeader(SEED_TEXT), uint32Dims) });
  seeds.push({ name: 'mat/compressed-int8-as-double', bytes: concatBytes(matHeader(SEED_TEXT), compressed(widened, true)) });
  return [
    ...seeds,
    // every layout scipy.io.savemat writes, and other projects' test files (checksum, opaque string object, repeated field names)
    ...repoSeeds(['values', 'values-compressed', 'sparse-compressed', 'v4'].map((n) => `test-fixtures/mat-layouts/${n}.mat`)),
    ...sharedSeeds(['corrupted_zlib_checksum', 'nasty_duplicate_fieldnames', 'testmatlabstring_7_WIN64'].map((n) => `cases/readers/mat/${n}.mat`)),
  ];
}
