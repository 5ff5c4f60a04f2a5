/** Tests of data-element tags: normal 8-byte tags, 4-byte small-element tags, padding. */
import { describe, expect, it } from 'vitest';
import { ByteReader, FormatError } from '@onebit/core';
import { readElement, readTag } from './data-element.js';
import { miINT8, miUINT8, miUINT32 } from './mat-codes.js';

const reader = (bytes: number[], littleEndian = true) => new ByteReader(Uint8Array.from(bytes), 'MAT', 0, littleEndian);

describe('data elements', () => {
  it('reads a normal tag and skips padding to 8 bytes', () => {
    // miUINT8, 3 bytes, data 7 8 9, 5 bytes padding, then the next byte 0xAA
    const r = reader([2, 0, 0, 0, 3, 0, 0, 0, 7, 8, 9, 0, 0, 0, 0, 0, 0xaa]);
    const { tag, data } = readElement(r, 'x', [miUINT8]);
    expect(tag).toEqual({ type: miUINT8, size: 3, small: false, offset: 0 });
    expect([...data]).toEqual([7, 8, 9]);
    expect(r.position).toBe(16);
  });

  it('reads a small-data-element tag: size in the upper 16 bits, data in the next 4 bytes', () => {
    // little-endian uint32 0x0002_0001: miINT8, 2 bytes; 'h' 'i' then 2 bytes padding
    const r = reader([1, 0, 2, 0, 0x68, 0x69, 0, 0, 0xaa]);
    const { tag, data } = readElement(r, 'name', [miINT8]);
    expect(tag).toEqual({ type: miINT8, size: 2, small: true, offset: 0 });
    expect(String.fromCharCode(...data)).toBe('hi');
    expect(r.position).toBe(8);
  });

  it('reads big-endian tags', () => {
    expect(readTag(reader([0, 0, 0, 6, 0, 0, 0, 8], false), 'x')).toEqual({ type: miUINT32, size: 8, small: false, offset: 0 });
    expect(readTag(reader([0, 3, 0, 1, 0x61, 0x62, 0x63, 0], false), 'x')).toEqual({ type: miINT8, size: 3, small: true, offset: 0 });
  });

  it('EXPECTED FAILURE: a small tag claiming more than 4 bytes, a wrong type', () => {
    expect(() => readTag(reader([1, 0, 5, 0, 0, 0, 0, 0]), 'array name')).toThrow(
      new FormatError('MAT', 'array name small-element tag at byte 0 claims 5 bytes, more than the 4 it can hold.', 0),
    );
    expect(() => readElement(reader([9, 0, 0, 0, 0, 0, 0, 0]), 'array flags', [miUINT32])).toThrow(
      'MAT: array flags at byte 0 has type miDOUBLE (9) where miUINT32 (6) was expected.',
    );
  });

  it('EXPECTED FAILURE: data longer than the input', () => {
    expect(() => readElement(reader([2, 0, 0, 0, 100, 0, 0, 0, 1, 2]), 'real part', [miUINT8])).toThrow(
      'MAT: real part at byte 8 needs 100 bytes but only 2 remain (file truncated?).',
    );
  });
});
