/**
 * A bounds-checked cursor over bytes. Every read checks the remaining length first and throws a
 * TruncatedError naming the field, its byte offset and the shortfall, so parsers built on it cannot
 * read past the end or return garbage.
 */
import { FormatError, LimitError, TruncatedError } from './errors.js';

export class ByteReader {
  readonly view: DataView;
  position = 0;

  constructor(
    readonly bytes: Uint8Array,
    /** Format name used in error messages, e.g. "MAT" or "pickle". */
    readonly format: string,
    /** Added to positions in messages when `bytes` is a slice of a larger file. */
    readonly baseOffset = 0,
    public littleEndian = true,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }
  get remaining(): number {
    return this.bytes.length - this.position;
  }
  /** Absolute offset of the cursor in the original file. */
  get offset(): number {
    return this.baseOffset + this.position;
  }

  /** Throws unless `count` more bytes are available for `what`. */
  need(count: number, what: string): void {
    if (count < 0 || !Number.isSafeInteger(count)) {
      throw new FormatError(this.format, `${what} has an invalid length ${count} at byte ${this.offset}.`, this.offset);
    }
    if (count > this.remaining) throw new TruncatedError(this.format, what, this.offset, count, this.remaining);
  }

  seek(position: number, what = 'seek target'): void {
    if (position < 0 || position > this.bytes.length || !Number.isSafeInteger(position)) {
      throw new FormatError(this.format, `${what} ${position} is outside the ${this.bytes.length}-byte input.`, this.baseOffset + Math.max(0, Math.min(position, this.bytes.length)));
    }
    this.position = position;
  }

  skip(count: number, what = 'skipped bytes'): void {
    this.need(count, what);
    this.position += count;
  }

  u8(what = 'uint8'): number {
    this.need(1, what);
    return this.bytes[this.position++]!;
  }
  i8(what = 'int8'): number {
    this.need(1, what);
    return this.view.getInt8(this.position++);
  }
  u16(what = 'uint16'): number {
    this.need(2, what);
    const v = this.view.getUint16(this.position, this.littleEndian);
    this.position += 2;
    return v;
  }
  i16(what = 'int16'): number {
    this.need(2, what);
    const v = this.view.getInt16(this.position, this.littleEndian);
    this.position += 2;
    return v;
  }
  u32(what = 'uint32'): number {
    this.need(4, what);
    const v = this.view.getUint32(this.position, this.littleEndian);
    this.position += 4;
    return v;
  }
  i32(what = 'int32'): number {
    this.need(4, what);
    const v = this.view.getInt32(this.position, this.littleEndian);
    this.position += 4;
    return v;
  }
  /** Unsigned 64-bit value as a number; refuses values above 2^53 − 1 rather than rounding them. */
  u64(what = 'uint64'): number {
    const start = this.offset;
    const v = this.u64Big(what);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new LimitError(`${this.format}: ${what} ${v} at byte ${start} exceeds the largest exact integer.`);
    return Number(v);
  }
  u64Big(what = 'uint64'): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.position, this.littleEndian);
    this.position += 8;
    return v;
  }
  i64Big(what = 'int64'): bigint {
    this.need(8, what);
    const v = this.view.getBigInt64(this.position, this.littleEndian);
    this.position += 8;
    return v;
  }
  f32(what = 'float32'): number {
    this.need(4, what);
    const v = this.view.getFloat32(this.position, this.littleEndian);
    this.position += 4;
    return v;
  }
  f64(what = 'float64'): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.position, this.littleEndian);
    this.position += 8;
    return v;
  }
  /** A view (not a copy) of the next `count` bytes. */
  bytesView(count: number, what = 'bytes'): Uint8Array {
    this.need(count, what);
    const out = this.bytes.subarray(this.position, this.position + count);
    this.position += count;
    return out;
  }
  /** The next `count` bytes decoded as Latin-1/ASCII text. */
  ascii(count: number, what = 'text'): string {
    const b = this.bytesView(count, what);
    let s = '';
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
    return s;
  }
  /** A reader over the next `count` bytes whose offsets stay absolute; advances past them. */
  sub(count: number, what = 'section', format = this.format): ByteReader {
    const start = this.offset;
    return new ByteReader(this.bytesView(count, what), format, start, this.littleEndian);
  }
}
