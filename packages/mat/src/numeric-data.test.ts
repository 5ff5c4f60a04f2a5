/** Tests of converting stored values (any storage type, either byte order) to the array's class. */
import { describe, expect, it } from 'vitest';
import { FormatError } from '@onebit/core';
import { decodeNumeric } from './numeric-data.js';
import { miDOUBLE, miINT16, miINT64, miSINGLE, miUINT16, miUINT8, miUTF8 } from './mat-codes.js';
import { encode } from './mat-builder.fixture.js';

const where = { format: 'MAT', offset: 200, what: 'real part of "x"' };

describe('decodeNumeric', () => {
  it('converts a storage type narrower than the class (double stored as uint8, int16, uint16)', () => {
    const fromU8 = decodeNumeric('double', miUINT8, encode(miUINT8, [0, 1, 255]), 3, true, where);
    expect(fromU8).toBeInstanceOf(Float64Array);
    expect([...fromU8]).toEqual([0, 1, 255]);
    expect([...decodeNumeric('double', miINT16, encode(miINT16, [-300, 7]), 2, true, where)]).toEqual([-300, 7]);
    expect([...decodeNumeric('single', miUINT16, encode(miUINT16, [65535]), 1, true, where)]).toEqual([65535]);
  });

  it('keeps the stored array when storage matches the class, in either byte order', () => {
    expect([...decodeNumeric('double', miDOUBLE, encode(miDOUBLE, [0.1, -2.5], false), 2, false, where)]).toEqual([0.1, -2.5]);
    expect([...decodeNumeric('single', miSINGLE, encode(miSINGLE, [1.5], false), 1, false, where)]).toEqual([1.5]);
    expect([...decodeNumeric('int16', miINT16, encode(miINT16, [-2, 258], false), 2, false, where)]).toEqual([-2, 258]);
  });

  it('converts to and from 64-bit classes', () => {
    const big = decodeNumeric('int64', miUINT8, encode(miUINT8, [5, 200]), 2, true, where);
    expect(big).toBeInstanceOf(BigInt64Array);
    expect([...big]).toEqual([5n, 200n]);
    expect([...decodeNumeric('uint64', miINT64, encode(miINT64, [2n ** 62n]), 1, true, where)]).toEqual([2n ** 62n]);
    expect([...decodeNumeric('double', miINT64, encode(miINT64, [-9n], false), 1, false, where)]).toEqual([-9]);
  });

  it('EXPECTED FAILURE: a byte count that does not match the element count, a non-numeric type', () => {
    expect(() => decodeNumeric('double', miUINT16, new Uint8Array(5), 3, true, where)).toThrow(
      new FormatError('MAT', 'real part of "x" at byte 200 has 5 bytes but 3 miUINT16 (4) values need 6.', 200),
    );
    expect(() => decodeNumeric('double', miUTF8, new Uint8Array(3), 3, true, where)).toThrow(
      'MAT: real part of "x" at byte 200 has type miUTF8 (16), which cannot hold double values.',
    );
  });
});
