/**
 * maxTensorBytes: the MAT reader charges what each array decodes to — element count × bytes per
 * element of its class, twice for complex arrays, 2 per char — before allocating it, so a small
 * compressed file cannot make it allocate far more than its own size by widening stored bytes.
 */
import { deflateSync } from 'node:zlib';
import { LimitError } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import { compressed, concat, element, matFile, matrix } from './mat-builder.fixture.js';
import { FLAG_COMPLEX, NUMERIC_CLASS_NAMES, miCOMPRESSED, miINT8, miUINT8, mxCELL_CLASS, mxCHAR_CLASS } from './mat-codes.js';
import { DEFAULT_MAX_TENSOR_BYTES, readMat } from './read-mat.js';

const DOUBLE = 6;
const HINT = 'pass a larger maxTensorBytes option to the reader (--max-tensor-bytes on the command line) if the file is trusted.';

/** A `dims` array of class `classCode` whose values are all stored as int8 zeros. */
const zeros = (name: string, classCode: number, dims: number[], flags = 0) => {
  const n = dims.reduce((a, b) => a * b, 1);
  const part = element(miINT8, new Uint8Array(n));
  return matrix({ classCode, flags, dims, name, parts: flags & FLAG_COMPLEX ? [part, part] : [part] });
};

describe('readMat maxTensorBytes', () => {
  it('refuses, by default and before allocating, a 65 KB compressed int8 array declared as a 512 MiB double matrix', () => {
    expect(DEFAULT_MAX_TENSOR_BYTES).toBe(256 * 1024 ** 2);
    // node's zlib compresses the 64 MiB of zeros in a fraction of the time fflate takes
    const z = new Uint8Array(deflateSync(zeros('w', DOUBLE, [8192, 8192])));
    const tag = new Uint8Array(8);
    new DataView(tag.buffer).setUint32(0, miCOMPRESSED, true);
    new DataView(tag.buffer).setUint32(4, z.length, true);
    const bomb = matFile(true, concat(tag, z));
    expect(bomb.length).toBeLessThan(66_000);
    expect(() => readMat(bomb)).toThrow(new LimitError(
      `MAT (compressed variable "w" at byte 128; offsets are within its inflated data): real part of "w" at byte 48 (67108864 double values stored as miINT8 (1)) would take 536870912 bytes, beyond the 268435456-byte limit (maxTensorBytes); ${HINT}`,
    ));
  });

  it('charges count × the class\'s bytes per element for every numeric class, and reads what fits exactly', () => {
    const bytesPerElement: Record<string, number> = { double: 8, single: 4, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8 };
    for (const [code, className] of Object.entries(NUMERIC_CLASS_NAMES)) {
      const file = matFile(true, zeros('a', Number(code), [10, 10]));
      const need = 100 * bytesPerElement[className]!;
      expect(readMat(file, { maxTensorBytes: need }).variables.get('a')).toMatchObject({ className, dims: [10, 10] });
      expect(() => readMat(file, { maxTensorBytes: need - 1 })).toThrow(
        `MAT: real part of "a" at byte 176 (100 ${className} values stored as miINT8 (1)) would take ${need} bytes, beyond the ${need - 1}-byte limit (maxTensorBytes); ${HINT}`,
      );
    }
  });

  it('charges the imaginary part of a complex array too, and all variables of a file together', () => {
    const complex = matFile(true, zeros('z', DOUBLE, [1, 10], FLAG_COMPLEX));
    expect(readMat(complex, { maxTensorBytes: 160 }).variables.get('z')).toMatchObject({ imag: new Float64Array(10) });
    expect(() => readMat(complex, { maxTensorBytes: 159 })).toThrow(
      `MAT: imaginary part of "z" at byte 200 (10 double values stored as miINT8 (1)) would take 80 bytes, beyond the 79 bytes left of the 159-byte limit (maxTensorBytes); ${HINT}`,
    );
    const two = matFile(true, zeros('a', DOUBLE, [1, 10]), compressed(matrix({ classCode: mxCELL_CLASS, dims: [1, 1], name: 'c', parts: [zeros('', DOUBLE, [1, 10])] })));
    expect([...readMat(two, { maxTensorBytes: 160 }).variables.keys()]).toEqual(['a', 'c']);
    expect(() => readMat(two, { maxTensorBytes: 100 })).toThrow('real part of "c{1}" at byte 96 (10 double values stored as miINT8 (1)) would take 80 bytes, beyond the 20 bytes left of the 100-byte limit (maxTensorBytes)');
  });

  it('charges 2 bytes per char, also for a char array declared with dimensions but stored without data', () => {
    const blank = matFile(true, matrix({ classCode: mxCHAR_CLASS, dims: [2, 3], name: 'c', parts: [element(miUINT8, new Uint8Array(0))] }));
    expect(readMat(blank, { maxTensorBytes: 12 }).variables.get('c')).toEqual({ kind: 'char', dims: [2, 3], text: '   \n   ' });
    expect(() => readMat(blank, { maxTensorBytes: 11 })).toThrow(`MAT: characters of "c" at byte 176 (dimensions [2, 3]) would take 12 bytes, beyond the 11-byte limit (maxTensorBytes); ${HINT}`);
    // 16 bytes of file declaring a billion-character array with no data: refused, not allocated
    const huge = matFile(true, matrix({ classCode: mxCHAR_CLASS, dims: [1, 1e9], name: 'h', parts: [element(miUINT8, new Uint8Array(0))] }));
    expect(() => readMat(huge)).toThrow(LimitError);
    expect(() => readMat(huge)).toThrow('MAT: characters of "h" at byte 176 (dimensions [1, 1000000000]) would take 2000000000 bytes, beyond the 268435456-byte limit (maxTensorBytes)');
  });
});
