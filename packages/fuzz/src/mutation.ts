/**
 * The mutation fuzzer as a fast-check arbitrary: pick a real seed file, then apply one to four
 * byte-level edits — bit flips, byte insertions and deletions, truncation, a length field set to
 * 0 / huge / negative, a duplicated chunk, two chunks swapped, and for record files (CIFAR) a
 * duplicated or reordered record. Positions are drawn as plain naturals and taken modulo the
 * current length, so fast-check shrinks a failure towards fewer, earlier edits.
 */
import fc from 'fast-check';
import { concatBytes } from './concat-bytes.js';

/** One edit; `at`, `to` and `len` are reduced modulo the input length when applied. */
export type Edit =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'length'; at: number; width: 1 | 2 | 4 | 8; value: LengthValue; littleEndian: boolean }
  | { kind: 'duplicate'; at: number; len: number; to: number }
  | { kind: 'swap'; at: number; to: number; len: number }
  | { kind: 'record'; op: 'duplicate' | 'swap'; a: number; b: number };

/** What a length field is overwritten with. */
export type LengthValue = 'zero' | 'one' | 'max' | 'signed-max' | 'negative-one' | 'min' | 'plus-one' | 'times-256';

const LENGTH_VALUES: readonly LengthValue[] = ['zero', 'one', 'max', 'signed-max', 'negative-one', 'min', 'plus-one', 'times-256'];

/** Bytes that mean something in binary formats: 0, 1, sign bits, all ones, ASCII punctuation. */
const INTERESTING_BYTES = [0x00, 0x01, 0x02, 0x07, 0x08, 0x10, 0x20, 0x40, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x2e, 0x2f, 0x5c, 0x7b, 0x7d, 0x28, 0x29, 0x0a];

export function editArbitrary(recordSize?: number): fc.Arbitrary<Edit> {
  const at = fc.nat();
  const edits: fc.Arbitrary<Edit>[] = [
    fc.record({ kind: fc.constant('flip' as const), at, bit: fc.nat(7) }),
    fc.record({ kind: fc.constant('set' as const), at, value: fc.constantFrom(...INTERESTING_BYTES) }),
    fc.record({ kind: fc.constant('insert' as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
    fc.record({ kind: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at }),
    fc.record({
      kind: fc.constant('length' as const), at, width: fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const),
      value: fc.constantFrom(...LENGTH_VALUES), littleEndian: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('duplicate' as const), at, len: fc.integer({ min: 1, max: 256 }), to: fc.nat() }),
    fc.record({ kind: fc.constant('swap' as const), at, to: fc.nat(), len: fc.integer({ min: 1, max: 128 }) }),
  ];
  if (recordSize) edits.push(fc.record({ kind: fc.constant('record' as const), op: fc.constantFrom('duplicate' as const, 'swap' as const), a: fc.nat(), b: fc.nat() }));
  return fc.oneof(...edits);
}


function lengthBytes(old: bigint, width: number, value: LengthValue): bigint {
  const bits = BigInt(width * 8);
  const mask = (1n << bits) - 1n;
  switch (value) {
    case 'zero': return 0n;
    case 'one': return 1n;
    case 'max': return mask;
    case 'signed-max': return mask >> 1n;
    case 'negative-one': return mask;
    case 'min': return 1n << (bits - 1n);
    case 'plus-one': return (old + 1n) & mask;
    case 'times-256': return (old << 8n) & mask;
  }
}

function readUint(bytes: Uint8Array, at: number, width: number, littleEndian: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < width; i++) v = (v << 8n) | BigInt(bytes[littleEndian ? at + width - 1 - i : at + i]!);
  return v;
}

function writeUint(bytes: Uint8Array, at: number, width: number, littleEndian: boolean, value: bigint): void {
  for (let i = 0; i < width; i++) bytes[littleEndian ? at + i : at + width - 1 - i] = Number((value >> BigInt(8 * i)) & 0xffn);
}

/** Applies one edit to a copy of `input` (`recordSize` only for 'record' edits). */
export function applyEdit(input: Uint8Array, edit: Edit, recordSize?: number): Uint8Array {
  const n = input.length;
  const pos = (p: number, extra = 0): number => (n + extra === 0 ? 0 : p % (n + extra));
  switch (edit.kind) {
    case 'flip': {
      if (n === 0) return input;
      const out = input.slice();
      const at = pos(edit.at);
      out[at] = out[at]! ^ (1 << edit.bit);
      return out;
    }
    case 'set': {
      if (n === 0) return input;
      const out = input.slice();
      out[pos(edit.at)] = edit.value;
      return out;
    }
    case 'insert': {
      const at = pos(edit.at, 1);
      return concatBytes(input.subarray(0, at), edit.bytes, input.subarray(at));
    }
    case 'delete': {
      const at = pos(edit.at);
      return concatBytes(input.subarray(0, at), input.subarray(at + edit.len));
    }
    case 'truncate':
      return input.slice(0, pos(edit.at));
    case 'length': {
      if (n < edit.width) return input;
      const at = edit.at % (n - edit.width + 1);
      const out = input.slice();
      const old = readUint(out, at, edit.width, edit.littleEndian);
      writeUint(out, at, edit.width, edit.littleEndian, lengthBytes(old, edit.width, edit.value));
      return out;
    }
    case 'duplicate': {
      const at = pos(edit.at);
      const chunk = input.slice(at, at + edit.len);
      const to = pos(edit.to, 1);
      return concatBytes(input.subarray(0, to), chunk, input.subarray(to));
    }
    case 'swap': {
      if (n < 2) return input;
      const len = Math.min(edit.len, Math.floor(n / 2));
      let a = edit.at % (n - len + 1);
      let b = edit.to % (n - len + 1);
      if (a > b) [a, b] = [b, a];
      if (b < a + len) return input;
      const out = input.slice();
      out.set(input.subarray(b, b + len), a);
      out.set(input.subarray(a, a + len), b);
      return out;
    }
    case 'record': {
      const size = recordSize ?? 0;
      const records = size > 0 ? Math.floor(n / size) : 0;
      if (records === 0) return input;
      const a = (edit.a % records) * size;
      const b = (edit.b % records) * size;
      if (edit.op === 'duplicate') return concatBytes(input.subarray(0, b), input.subarray(a, a + size), input.subarray(b));
      const out = input.slice();
      out.set(input.subarray(b, b + size), a);
      out.set(input.subarray(a, a + size), b);
      return out;
    }
  }
}

/** A seed file, by name, for reports. */
export interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A mutated case: which seed, which edits, and the resulting bytes. */
export interface MutatedCase {
  readonly seed: string;
  readonly edits: readonly Edit[];
  readonly bytes: Uint8Array;
}

/** Picks a seed and applies one to four edits to it. */
export function mutationArbitrary(seeds: readonly Seed[], recordSize?: number): fc.Arbitrary<MutatedCase> {
  if (seeds.length === 0) throw new RangeError('mutationArbitrary needs at least one seed.');
  return fc.tuple(fc.nat(seeds.length - 1), fc.array(editArbitrary(recordSize), { minLength: 1, maxLength: 4 })).map(([i, edits]) => {
    const seed = seeds[i]!;
    let bytes = seed.bytes;
    for (const edit of edits) bytes = applyEdit(bytes, edit, recordSize);
    return { seed: seed.name, edits, bytes };
  });
}
