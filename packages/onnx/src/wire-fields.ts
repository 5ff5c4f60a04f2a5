/**
 * Protobuf wire-level fields of one message (https://protobuf.dev/programming-guides/encoding/):
 * split a message's bytes into its fields (tag + value, kept byte for byte), and write fields back.
 * This is how onebit keeps the parts of an ONNX model it does not interpret: they stay as their
 * original wire bytes and are written back unchanged. protobufjs's Reader/Writer do the varints.
 */
import { FormatError } from '@onebit/core';
import protobuf from 'protobufjs/minimal.js';

export interface WireField {
  /** The field number. */
  number: number;
  /** The whole field as it was on the wire: tag and value. */
  bytes: Uint8Array;
}

/** The fields of a message, in wire order; a malformed message is a FormatError naming `what`. */
export function splitFields(bytes: Uint8Array, what: string): WireField[] {
  const reader = protobuf.Reader.create(bytes);
  const fields: WireField[] = [];
  try {
    while (reader.pos < reader.len) {
      const start = reader.pos;
      const tag = reader.uint32();
      if (tag >>> 3 === 0) throw new Error(`field number 0 at byte ${start}`);
      reader.skipType(tag & 7);
      fields.push({ number: tag >>> 3, bytes: bytes.subarray(start, reader.pos) });
    }
  } catch (err) {
    throw new FormatError('ONNX', `the protobuf of ${what} is corrupt (${(err as Error).message}).`, undefined, { cause: err });
  }
  return fields;
}

/** The value bytes of a length-delimited field (a sub-message, string or bytes). */
export function payload(field: WireField): Uint8Array {
  const reader = protobuf.Reader.create(field.bytes);
  reader.uint32();
  const length = reader.uint32();
  return field.bytes.subarray(reader.pos, reader.pos + length);
}

/** One length-delimited field `number` holding `value` (a sub-message's bytes). */
export function messageField(number: number, value: Uint8Array): Uint8Array {
  return protobuf.Writer.create().uint32(((number << 3) | 2) >>> 0).bytes(value).finish();
}

/** The fields with numbers in `numbers`, concatenated (e.g. the scalar fields for protobufjs to read). */
export function pick(fields: readonly WireField[], numbers: ReadonlySet<number>): Uint8Array {
  return concat(fields.filter((f) => numbers.has(f.number)).map((f) => f.bytes));
}

/** The fields whose numbers are not in `numbers` (what onebit does not interpret), or undefined when none. */
export function rest(fields: readonly WireField[], numbers: ReadonlySet<number>): Uint8Array | undefined {
  const kept = fields.filter((f) => !numbers.has(f.number));
  return kept.length ? concat(kept.map((f) => f.bytes)) : undefined;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * A message from its fields: `known` (field number + bytes, already encoded) and the carried
 * `passThrough` bytes, merged in field-number order as protobuf serializers write them (fields with
 * the same number keep their order, known ones first).
 */
export function assemble(known: readonly WireField[], passThrough: Uint8Array | undefined): Uint8Array {
  const all = [...known, ...(passThrough ? splitFields(passThrough, 'carried fields') : [])];
  const order = all.map((f, i) => [f, i] as const).sort((a, b) => a[0].number - b[0].number || a[1] - b[1]);
  return concat(order.map(([f]) => f.bytes));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
