/** Tests of the bounds-checked byte reader: values, endianness, and the truncation messages parsers rely on. */
import { describe, expect, it } from 'vitest';
import { ByteReader } from './byte-reader.js';
import { FormatError, LimitError, TruncatedError } from './errors.js';

describe('ByteReader', () => {
  it('reads little- and big-endian integers and floats', () => {
    const bytes = new Uint8Array([0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0xc0, 0x3f, 0xff]);
    const le = new ByteReader(bytes, 'T');
    expect(le.u16()).toBe(0x0201);
    expect(le.u16()).toBe(0x0403);
    expect(le.f32()).toBe(1.5);
    expect(le.i8()).toBe(-1);
    expect(le.remaining).toBe(0);
    const be = new ByteReader(bytes, 'T', 0, false);
    expect(be.u32()).toBe(0x01020304);
  });

  it('names the field, its absolute offset and the shortfall when the input ends early', () => {
    const r = new ByteReader(new Uint8Array(10), 'MAT', 100);
    r.skip(8);
    expect(() => r.u32('element size')).toThrow(new TruncatedError('MAT', 'element size', 108, 4, 2));
    expect(() => r.u32('element size')).toThrow('MAT: element size at byte 108 needs 4 bytes but only 2 remain (file truncated?).');
  });

  it('refuses 64-bit lengths beyond 2^53 − 1 instead of rounding them', () => {
    const r = new ByteReader(new Uint8Array([0, 0, 0, 0, 0, 0, 0x20, 0]), 'pickle');
    expect(() => r.u64('storage size')).toThrow(LimitError);
    expect(() => new ByteReader(new Uint8Array([0, 0, 0, 0, 0, 0, 0x20, 0]), 'pickle').u64('storage size')).toThrow('pickle: storage size 9007199254740992 at byte 0 exceeds the largest exact integer.');
  });

  it('refuses negative or non-integer lengths as corrupt', () => {
    const r = new ByteReader(new Uint8Array(4), 'ONNX');
    expect(() => r.bytesView(-1, 'raw_data')).toThrow(FormatError);
    expect(() => r.seek(5, 'section')).toThrow('ONNX: section 5 is outside the 4-byte input.');
  });

  it('gives sub-readers absolute offsets', () => {
    const r = new ByteReader(new Uint8Array(16), 'zip');
    r.skip(6);
    const sub = r.sub(4, 'entry');
    sub.skip(3);
    expect(sub.offset).toBe(9);
    expect(() => sub.u16('name length')).toThrow('zip: name length at byte 9 needs 2 bytes but only 1 remain (file truncated?).');
  });
});
