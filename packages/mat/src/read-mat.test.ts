/**
 * Tests of readMat on tiny files: one spelled out byte by byte, two written by scipy.io.savemat, and
 * many built with the test builder (compressed, small elements, storage ≠ class, logical, char, cell,
 * struct, big-endian), then corrupt and unsupported inputs with their exact messages.
 */
import { describe, expect, it } from 'vitest';
import { constants, deflateSync } from 'node:zlib';
import { FormatError, LimitError, OnebitError, TruncatedError, UnsupportedError } from '@onebit/core';
import { DEFAULT_MAX_INFLATED_BYTES, readMat } from './read-mat.js';
import {
  miDOUBLE, miINT16, miINT32, miINT64, miINT8, miMATRIX, miSINGLE, miUINT16, miUINT8, miUTF16, miUTF8,
  mxCELL_CLASS, mxCHAR_CLASS, mxSTRUCT_CLASS, FLAG_COMPLEX, FLAG_LOGICAL,
} from './mat-codes.js';
import { compressed, concat, element, encode, header, matFile, matrix } from './mat-builder.fixture.js';
import type { MatValue } from './mat-types.js';

const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!, (h) => parseInt(h, 16));
const base64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

const DOUBLE = 6;
const SINGLE = 7;
const INT16 = 10;
const UINT8 = 9;
const INT64 = 14;

/** A numeric miMATRIX with its real part stored as `storage` (a small element when it fits). */
function numeric(name: string, classCode: number, dims: number[], storage: number, values: Array<number | bigint>, le = true, flags = 0, imag?: number[]) {
  const parts = [element(storage, encode(storage, values, le), { littleEndian: le, small: encode(storage, values).length <= 4 })];
  if (imag) parts.push(element(storage, encode(storage, imag, le), { littleEndian: le }));
  return matrix({ classCode, flags, dims, name, parts, littleEndian: le });
}

function char(name: string, dims: number[], storage: number, codes: number[], le = true) {
  return matrix({ classCode: mxCHAR_CLASS, dims, name, parts: [element(storage, encode(storage, codes, le), { littleEndian: le })], littleEndian: le });
}

function fieldNames(names: string[], le = true, length = 32) {
  const bytes = new Uint8Array(names.length * length);
  names.forEach((n, i) => bytes.set(new TextEncoder().encode(n), i * length));
  return [element(miINT32, encode(miINT32, [length], le), { littleEndian: le, small: true }), element(miINT8, bytes, { littleEndian: le })];
}

const codes = (s: string) => [...s].map((c) => c.charCodeAt(0));

describe('readMat: a file spelled out byte by byte', () => {
  it('reads x = 7 (class double, stored as a small miUINT8 element)', () => {
    const file = concat(header(true, 'MATLAB 5.0 MAT-file'), hex(`
      0e000000 30000000                   miMATRIX, 48 bytes
      06000000 08000000 06000000 00000000 array flags: miUINT32, 8 bytes; class 6 (double), no flags
      05000000 08000000 01000000 01000000 dimensions: miINT32, 8 bytes; 1 x 1
      01000100 78000000                   name: small miINT8 element of 1 byte, "x", 3 bytes padding
      02000100 07000000                   real part: small miUINT8 element of 1 byte, 7, 3 bytes padding
    `.replace(/[a-z][a-z(]{2,}[^\n]*/gi, '')));
    const mat = readMat(file);
    expect(mat.header).toBe('MATLAB 5.0 MAT-file');
    expect(mat.version).toBe(0x0100);
    expect(mat.littleEndian).toBe(true);
    expect(mat.variables.get('x')).toEqual({ kind: 'numeric', className: 'double', logical: false, dims: [1, 1], data: Float64Array.of(7) });
  });
});

describe('readMat: files written by scipy.io.savemat', () => {
  // savemat(f, {'m': [[1,2,3],[4,5,6]], 'u': uint32([70000]), 's': 'hello', 'c': {[[1.5,-2]], 'ab'} (1×2 cell),
  //             'st': struct(k=int16(-3), v=[[True, False, True]]), 'e': zeros((0,3))}, do_compression=...)
  const plain = base64('TUFUTEFCIDUuMCBNQVQtZmlsZSBQbGF0Zm9ybTogcG9zaXgsIENyZWF0ZWQgb246IFdlZCBOb3YgMjUgMTg6Mzg6MDYgMjAyNgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABSU0OAAAAYAAAAAYAAAAIAAAABgAAAAAAAAAFAAAACAAAAAIAAAADAAAAAQABAG0AAAAJAAAAMAAAAAAAAAAAAPA/AAAAAAAAEEAAAAAAAAAAQAAAAAAAABRAAAAAAAAACEAAAAAAAAAYQA4AAAAwAAAABgAAAAgAAAANAAAAAAAAAAUAAAAIAAAAAQAAAAEAAAABAAEAdQAAAAYABABwEQEADgAAADgAAAAGAAAACAAAAAQAAAAAAAAABQAAAAgAAAABAAAABQAAAAEAAQBzAAAAEAAAAAUAAABoZWxsbwAAAA4AAACoAAAABgAAAAgAAAABAAAAAAAAAAUAAAAIAAAAAQAAAAIAAAABAAEAYwAAAA4AAABAAAAABgAAAAgAAAAGAAAAAAAAAAUAAAAIAAAAAQAAAAIAAAABAAAAAAAAAAkAAAAQAAAAAAAAAAAA+D8AAAAAAAAAwA4AAAAwAAAABgAAAAgAAAAEAAAAAAAAAAUAAAAIAAAAAQAAAAIAAAABAAAAAAAAABAAAgBhYgAADgAAAKgAAAAGAAAACAAAAAIAAAAAAAAABQAAAAgAAAABAAAAAQAAAAEAAgBzdAAABQAEAAIAAAABAAQAawB2AA4AAAAwAAAABgAAAAgAAAAKAAAAAAAAAAUAAAAIAAAAAQAAAAEAAAABAAAAAAAAAAMAAgD9/wAADgAAADAAAAAGAAAACAAAAAkCAAAAAAAABQAAAAgAAAABAAAAAwAAAAEAAAAAAAAAAgADAAEAAQAOAAAAMAAAAAYAAAAIAAAABgAAAAAAAAAFAAAACAAAAAAAAAADAAAAAQABAGUAAAAJAAAAAAAAAA==');
  const packed = base64('TUFUTEFCIDUuMCBNQVQtZmlsZSBQbGF0Zm9ybTogcG9zaXgsIENyZWF0ZWQgb246IFdlZCBOb3YgMjUgMTg6Mzg6MDYgMjAyNgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABSU0PAAAAOAAAAHic42NgYEgAYjYg5oDSIMAK5TMBMTMQMwJhLpDmBGIDBhj4YA+hBRygAlBaBEpzQGkJBwColQPwDwAAACcAAAB4nONjYGAwAGI2IOYAYl4GCGCF8hnhmJGhFKyOhaFAkJEBABsTAWwPAAAAKwAAAHic42NgYLAAYjYg5gBiFgYIYIXyGaFsRiAsBtICUH5Gak5OPpAGAC3tAwoPAAAARgAAAHic42NgYFgBxGxAzAHEjAwQwIrEZwLTjAzJQJoPiB2Q1LPhVA8BnEAswAADP+yhjAMgcwyQzGEhYI4AkJeYxMAAAI8mBPQPAAAASwAAAHic42NgYFgBxGxAzAHETAwQwArlM8IxE0NxCUicBayGEUhnM5Qx8AHZBkj6uXDqhwBmoO6//xkw9HEyYepjRtLHBOQxAiEAJqEFiA8AAAAkAAAAeJzjY2BgMABiNiDmgNIgwArlgwAzEDMCYSqQ5oSKAQAXVgDT');

  it.each([['uncompressed', plain], ['compressed', packed]])('reads the %s file', (_, bytes) => {
    const mat = readMat(bytes);
    expect(mat.header).toBe('MATLAB 5.0 MAT-file Platform: posix, Created on: Wed Nov 25 18:38:06 2026');
    expect([...mat.variables.keys()]).toEqual(['m', 'u', 's', 'c', 'st', 'e']);
    expect(mat.variables.get('m')).toEqual({ kind: 'numeric', className: 'double', logical: false, dims: [2, 3], data: Float64Array.of(1, 4, 2, 5, 3, 6) });
    expect(mat.variables.get('u')).toEqual({ kind: 'numeric', className: 'uint32', logical: false, dims: [1, 1], data: Uint32Array.of(70000) });
    expect(mat.variables.get('s')).toEqual({ kind: 'char', dims: [1, 5], text: 'hello' });
    expect(mat.variables.get('c')).toEqual({
      kind: 'cell', dims: [1, 2], cells: [
        { kind: 'numeric', className: 'double', logical: false, dims: [1, 2], data: Float64Array.of(1.5, -2) },
        { kind: 'char', dims: [1, 2], text: 'ab' },
      ],
    });
    expect(mat.variables.get('st')).toEqual({
      kind: 'struct', dims: [1, 1], fieldNames: ['k', 'v'], elements: [new Map<string, MatValue>([
        ['k', { kind: 'numeric', className: 'int16', logical: false, dims: [1, 1], data: Int16Array.of(-3) }],
        ['v', { kind: 'numeric', className: 'uint8', logical: true, dims: [1, 3], data: Uint8Array.of(1, 0, 1) }],
      ])],
    });
    expect(mat.variables.get('e')).toEqual({ kind: 'numeric', className: 'double', logical: false, dims: [0, 3], data: new Float64Array(0) });
  });
});

describe('readMat: built files', () => {
  for (const le of [true, false]) {
    const order = le ? 'little-endian' : 'big-endian';
    const variables = [
      numeric('d', DOUBLE, [2, 2], miUINT16, [1, 300, 65535, 0], le),
      numeric('f', SINGLE, [1, 3], miSINGLE, [0.5, -1.25, 3], le),
      numeric('n', INT16, [1, 2], miINT16, [-2, 3], le), // small element: 4 bytes
      numeric('logi', UINT8, [1, 5], miUINT8, [1, 0, 0, 1, 1], le, FLAG_LOGICAL),
      numeric('big', INT64, [1, 1], miINT64, [-(2n ** 40n)], le),
      numeric('z', DOUBLE, [1, 2], miDOUBLE, [1, 2], le, FLAG_COMPLEX, [-1, 0.5]),
      char('u16', [2, 3], miUINT16, codes('adbecf'), le), // rows "abc", "def"
      char('utf16', [1, 2], miUTF16, [0x3b1, 0x3b2], le),
      char('utf8', [1, 4], miUTF8, [...new TextEncoder().encode('π=3')], le),
      matrix({
        classCode: mxCELL_CLASS, dims: [2, 1], name: 'cel', littleEndian: le, parts: [
          numeric('', DOUBLE, [1, 1], miUINT8, [9], le),
          matrix({ classCode: mxCELL_CLASS, dims: [1, 1], littleEndian: le, parts: [char('', [1, 2], miUTF8, codes('hi'), le)] }),
        ],
      }),
      matrix({
        classCode: mxSTRUCT_CLASS, dims: [1, 2], name: 'st', littleEndian: le, parts: [
          ...fieldNames(['alpha', 'b'], le),
          numeric('', DOUBLE, [1, 1], miINT8, [-1], le), char('', [1, 1], miUTF8, codes('x'), le),
          element(miMATRIX, new Uint8Array(0), { littleEndian: le }), numeric('', SINGLE, [0, 0], miSINGLE, [], le),
        ],
      }),
    ];
    const expected: Record<string, MatValue> = {
      d: { kind: 'numeric', className: 'double', logical: false, dims: [2, 2], data: Float64Array.of(1, 300, 65535, 0) },
      f: { kind: 'numeric', className: 'single', logical: false, dims: [1, 3], data: Float32Array.of(0.5, -1.25, 3) },
      n: { kind: 'numeric', className: 'int16', logical: false, dims: [1, 2], data: Int16Array.of(-2, 3) },
      logi: { kind: 'numeric', className: 'uint8', logical: true, dims: [1, 5], data: Uint8Array.of(1, 0, 0, 1, 1) },
      big: { kind: 'numeric', className: 'int64', logical: false, dims: [1, 1], data: BigInt64Array.of(-(2n ** 40n)) },
      z: { kind: 'numeric', className: 'double', logical: false, dims: [1, 2], data: Float64Array.of(1, 2), imag: Float64Array.of(-1, 0.5) },
      u16: { kind: 'char', dims: [2, 3], text: 'abc\ndef' },
      utf16: { kind: 'char', dims: [1, 2], text: 'αβ' },
      utf8: { kind: 'char', dims: [1, 4], text: 'π=3' },
      cel: {
        kind: 'cell', dims: [2, 1], cells: [
          { kind: 'numeric', className: 'double', logical: false, dims: [1, 1], data: Float64Array.of(9) },
          { kind: 'cell', dims: [1, 1], cells: [{ kind: 'char', dims: [1, 2], text: 'hi' }] },
        ],
      },
      st: {
        kind: 'struct', dims: [1, 2], fieldNames: ['alpha', 'b'], elements: [
          new Map<string, MatValue>([
            ['alpha', { kind: 'numeric', className: 'double', logical: false, dims: [1, 1], data: Float64Array.of(-1) }],
            ['b', { kind: 'char', dims: [1, 1], text: 'x' }],
          ]),
          new Map<string, MatValue>([
            ['alpha', { kind: 'numeric', className: 'double', logical: false, dims: [0, 0], data: new Float64Array(0) }],
            ['b', { kind: 'numeric', className: 'single', logical: false, dims: [0, 0], data: new Float32Array(0) }],
          ]),
        ],
      },
    };

    it(`reads every kind of value from a ${order} uncompressed file`, () => {
      const mat = readMat(matFile(le, ...variables));
      expect(mat.littleEndian).toBe(le);
      expect(Object.fromEntries(mat.variables)).toEqual(expected);
      expect([...mat.variables.keys()]).toEqual(Object.keys(expected));
    });

    it(`reads the same values from a ${order} file of compressed variables`, () => {
      const mat = readMat(matFile(le, ...variables.map((v) => compressed(v, le))));
      expect(Object.fromEntries(mat.variables)).toEqual(expected);
    });
  }

  it('accepts a file with no variables and a last element without its padding', () => {
    expect(readMat(header()).variables.size).toBe(0);
    // v = [1 2 3] whose real part (3 bytes) ends the file: the element sizes count no padding after it
    const odd = matrix({ classCode: DOUBLE, dims: [1, 3], name: 'v', parts: [element(miUINT8, Uint8Array.of(1, 2, 3))] }).slice(0, -5);
    new DataView(odd.buffer).setUint32(4, odd.length - 8, true);
    expect(readMat(matFile(true, numeric('a', DOUBLE, [1, 1], miUINT8, [1]), odd)).variables.get('v')).toMatchObject({ data: Float64Array.of(1, 2, 3) });
  });
});

describe('readMat: corrupt and unsupported input', () => {
  const good = matFile(true,
    numeric('a', DOUBLE, [1, 3], miUINT8, [1, 2, 3]),
    compressed(matrix({ classCode: mxCELL_CLASS, dims: [1, 2], name: 'cc', parts: [numeric('', SINGLE, [1, 1], miSINGLE, [2]), char('', [1, 2], miUTF8, codes('ok'))] })),
    numeric('b', DOUBLE, [1, 1], miDOUBLE, [5]),
  );

  it('EXPECTED FAILURE: every truncation is a typed error or a clean prefix of the variables', () => {
    for (let cut = 0; cut < good.length; cut++) {
      let result: string[] | undefined;
      try {
        result = [...readMat(good.subarray(0, cut)).variables.keys()];
      } catch (error) {
        expect(error, `cut at ${cut}`).toBeInstanceOf(OnebitError);
        expect((error as Error).message, `cut at ${cut}`).toMatch(/^[^\n]+\.$/);
        continue;
      }
      expect(['a', 'cc', 'b'].slice(0, result.length), `cut at ${cut}`).toEqual(result);
    }
  });

  it('EXPECTED FAILURE: corrupted bytes give typed errors, never a crash', () => {
    const struct = matrix({ classCode: mxSTRUCT_CLASS, dims: [1, 2], name: 'st', parts: [
      ...fieldNames(['p', 'q']), char('', [2, 2], miUINT16, codes('abcd')), numeric('', INT16, [1, 2], miINT16, [1, 2]),
      numeric('', UINT8, [1, 1], miUINT8, [1], true, FLAG_LOGICAL), numeric('', DOUBLE, [1, 1], miDOUBLE, [1], true, FLAG_COMPLEX, [2]),
    ] });
    const plainFile = concat(good, struct);
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let trial = 0; trial < 3000; trial++) {
      const bytes = plainFile.slice();
      for (let k = 0; k < 1 + Math.floor(next() * 3); k++) {
        const at = 128 + Math.floor(next() * (bytes.length - 128));
        bytes[at] = next() < 0.5 ? Math.floor(next() * 256) : bytes[at]! ^ (1 << Math.floor(next() * 8));
      }
      try {
        readMat(bytes, { maxInflatedBytes: 1 << 20 });
      } catch (error) {
        if (!(error instanceof OnebitError)) throw new Error(`trial ${trial}: ${String(error)}`, { cause: error });
        expect((error as Error).message).toMatch(/^[^\n]+\.$/);
      }
    }
  });

  it('EXPECTED FAILURE: exact messages for truncations', () => {
    expect(() => readMat(good.subarray(0, 140))).toThrow(new TruncatedError('MAT', 'variable data', 136, 48, 4));
    expect(() => readMat(good.subarray(0, 140))).toThrow('MAT: variable data at byte 136 needs 48 bytes but only 4 remain (file truncated?).');
    expect(() => readMat(good.subarray(0, 220))).toThrow('MAT: compressed variable "cc" at byte 192 needs 69 bytes but only 28 remain (file truncated?).');
  });

  it('EXPECTED FAILURE: random bytes are not a MAT file', () => {
    let seed = 12345;
    const random = new Uint8Array(4096).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    expect(() => readMat(random)).toThrow('The file is not a MAT file: it does not start with a MATLAB header.');
    const garbage = concat(header(), random.subarray(0, 64));
    expect(() => readMat(garbage)).toThrow(OnebitError);
  });

  it('EXPECTED FAILURE: sparse, object and function-handle arrays are refused by class, name and byte', () => {
    const sparse = matrix({ classCode: 5, dims: [2, 2], name: 'sp', parts: [] });
    expect(() => readMat(matFile(true, numeric('a', DOUBLE, [1, 1], miUINT8, [1]), sparse))).toThrow(
      new UnsupportedError('MAT: "sp" at byte 184 is a sparse array (mxSPARSE_CLASS (5)), which onebit does not read.'),
    );
    const nested = matrix({ classCode: mxCELL_CLASS, dims: [1, 1], name: 'cc', parts: [matrix({ classCode: 16, dims: [1, 1], parts: [] })] });
    expect(() => readMat(matFile(true, compressed(nested)))).toThrow(new UnsupportedError(
      'MAT (compressed variable "cc" at byte 128; offsets are within its inflated data): "cc{1}" at byte 48 is a function handle (mxFUNCTION_CLASS (16)), which onebit does not read.',
    ));
    expect(() => readMat(matFile(true, matrix({ classCode: 3, dims: [1, 1], name: 'obj', parts: [] })))).toThrow(/"obj" at byte 128 is a MATLAB object \(mxOBJECT_CLASS \(3\)\)/);
    // Opaque objects (class 17) have no dimensions in their header: reader-cases.test.ts reads a real one.
  });

  it('EXPECTED FAILURE: things a level-5 file cannot contain', () => {
    expect(() => readMat(matFile(true, matrix({ classCode: 99, dims: [1, 1], name: 'q', parts: [] })))).toThrow(
      new FormatError('MAT', '"q" at byte 128 has unknown array class 99, which a level-5 file cannot contain.', 128),
    );
    expect(() => readMat(matFile(true, element(miDOUBLE, encode(miDOUBLE, [1]))))).toThrow(
      'MAT: variable at byte 128 has type miDOUBLE (9) where miMATRIX (14) or miCOMPRESSED (15) was expected.',
    );
    expect(() => readMat(matFile(true, numeric('a', DOUBLE, [1, 1], miUINT8, [1]), numeric('a', DOUBLE, [1, 1], miUINT8, [2])))).toThrow(
      'MAT: variable "a" at byte 184 appears a second time.',
    );
    expect(() => readMat(matFile(true, numeric('a', DOUBLE, [2, 2], miUINT8, [1, 2, 3])))).toThrow(
      'MAT: real part of "a" at byte 176 has 3 bytes but 4 miUINT8 (2) values need 4.',
    );
    expect(() => readMat(matFile(true, numeric('neg', DOUBLE, [1, -1], miUINT8, [])))).toThrow('MAT: dimension -1 at byte 164 is negative.');
    expect(() => readMat(matFile(true, char('c', [1, 3], miUINT16, [1, 2])))).toThrow(
      'MAT: characters of "c" at byte 176 decode to 2 characters but dimensions [1, 3] need 3.',
    );
    expect(() => readMat(matFile(true, compressed(element(miINT16, encode(miINT16, [1, 2, 3, 4])))))).toThrow(
      'MAT (compressed variable at byte 128; offsets are within its inflated data): inflated variable at byte 0 has type miINT16 (3) where miMATRIX (14) was expected.',
    );
  });

  it('EXPECTED FAILURE: an error inside a compressed variable names it and counts offsets in its inflated data', () => {
    const full = numeric('wts', DOUBLE, [1, 4], miDOUBLE, [1, 2, 3, 4]);
    const cut = full.slice(0, 60);
    new DataView(cut.buffer).setUint32(4, full.length - 8, true); // the tag still claims the whole body
    expect(() => readMat(matFile(true, compressed(cut)))).toThrow(new TruncatedError(
      'MAT (compressed variable "wts" at byte 128; offsets are within its inflated data)', 'inflated variable', 8, full.length - 8, 52,
    ));
    expect(() => readMat(matFile(true, compressed(cut)))).toThrow(
      'MAT (compressed variable "wts" at byte 128; offsets are within its inflated data): inflated variable at byte 8 needs 80 bytes but only 52 remain (file truncated?).',
    );
  });

  it('EXPECTED FAILURE: huge counts are refused before allocating', () => {
    const emptyStructs = matrix({ classCode: mxSTRUCT_CLASS, dims: [1 << 15, 1 << 15], name: 'e', parts: fieldNames([]) });
    expect(() => readMat(matFile(true, emptyStructs))).toThrow(
      new LimitError('MAT: struct array "e" at byte 128 has 1073741824 elements without fields, more than the 1048576 onebit accepts.'),
    );
    const cells = matrix({ classCode: mxCELL_CLASS, dims: [100000, 100000], name: 'c', parts: [] });
    expect(() => readMat(matFile(true, cells))).toThrow(
      new FormatError('MAT', 'cell array "c" at byte 128 has 10000000000 cells but only 0 bytes remain for them.', 128),
    );
    const structs = matrix({ classCode: mxSTRUCT_CLASS, dims: [1, 1e9], name: 's', parts: fieldNames(['a']) });
    expect(() => readMat(matFile(true, structs))).toThrow(/^MAT: struct array "s" at byte 128 has 1000000000 elements of 1 fields but only 0 bytes remain for them\.$/);
    const numericHuge = numeric('h', DOUBLE, [2 ** 20, 2 ** 20], miUINT8, [1]);
    expect(() => readMat(matFile(true, numericHuge))).toThrow(/^MAT: real part of "h" at byte 176 has 1 bytes but 1099511627776 miUINT8 \(2\) values need/);
    const overflow = numeric('o', DOUBLE, [2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1], miUINT8, [1]);
    expect(() => readMat(matFile(true, overflow))).toThrow(LimitError);
  });

  it('EXPECTED FAILURE: the default limit (512 MiB) refuses a 530 KB zlib bomb while inflating it', () => {
    expect(DEFAULT_MAX_INFLATED_BYTES).toBe(512 * 1024 ** 2);
    const z = new Uint8Array(deflateSync(Buffer.alloc(520 * 1024 ** 2), { level: 9, strategy: constants.Z_RLE }));
    expect(z.length).toBeLessThan(600_000);
    const tag = new Uint8Array(8);
    new DataView(tag.buffer).setUint32(0, 15, true); // miCOMPRESSED
    new DataView(tag.buffer).setUint32(4, z.length, true);
    expect(() => readMat(matFile(true, concat(tag, z)))).toThrow(
      new LimitError('MAT: compressed variable at byte 128 inflates to more than the 536870912-byte limit (maxInflatedBytes); pass a larger maxInflatedBytes option to the reader (--max-inflated-bytes on the command line) if the file is trusted.'),
    );
  }, 90_000);

  it('EXPECTED FAILURE: the inflated-size limit holds for all compressed variables together', () => {
    const v = (name: string) => compressed(numeric(name, DOUBLE, [1, 512], miDOUBLE, new Array<number>(512).fill(0)));
    const two = matFile(true, v('a'), v('b'));
    expect([...readMat(two, { maxInflatedBytes: 8400 }).variables.keys()]).toEqual(['a', 'b']);
    expect(() => readMat(two, { maxInflatedBytes: 6000 })).toThrow(
      new LimitError(`MAT: compressed variable "b" at byte ${128 + v('a').length} inflates past the 6000-byte limit (maxInflatedBytes) on top of the 4152 bytes earlier compressed variables inflated to; pass a larger maxInflatedBytes option to the reader (--max-inflated-bytes on the command line) if the file is trusted.`),
    );
  });

  it('EXPECTED FAILURE: the inflated-size and nesting-depth limits', () => {
    const bigVar = compressed(numeric('big', DOUBLE, [1, 4096], miDOUBLE, new Array<number>(4096).fill(0)));
    expect(() => readMat(matFile(true, bigVar), { maxInflatedBytes: 1000 })).toThrow(
      new LimitError('MAT: compressed variable "big" at byte 128 inflates to more than the 1000-byte limit (maxInflatedBytes); pass a larger maxInflatedBytes option to the reader (--max-inflated-bytes on the command line) if the file is trusted.'),
    );
    let deep = numeric('', DOUBLE, [1, 1], miUINT8, [1]);
    for (let i = 0; i < 5; i++) deep = matrix({ classCode: mxCELL_CLASS, dims: [1, 1], name: i === 4 ? 'deep' : '', parts: [deep] });
    expect(readMat(matFile(true, deep), { maxDepth: 5 }).variables.has('deep')).toBe(true);
    expect(() => readMat(matFile(true, deep), { maxDepth: 4 })).toThrow(
      new LimitError('MAT: "deep{1}{1}{1}{1}{1}" at byte 368 is nested more than 4 cells or structs deep (maxDepth).'),
    );
  });
});
