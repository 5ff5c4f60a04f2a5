/** Tests of the byte edits the mutation fuzzer applies, on a 6-byte input with known results. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdit, mutationArbitrary } from './mutation.js';

const input = Uint8Array.from([0x10, 0x20, 0x30, 0x40, 0x50, 0x60]);
const apply = (edit: Parameters<typeof applyEdit>[1], recordSize?: number): number[] => Array.from(applyEdit(input, edit, recordSize));

describe('applyEdit', () => {
  it('flips a bit, sets a byte, inserts, deletes and truncates at positions taken modulo the length', () => {
    expect(apply({ kind: 'flip', at: 7, bit: 0 })).toEqual([0x10, 0x21, 0x30, 0x40, 0x50, 0x60]);
    expect(apply({ kind: 'set', at: 2, value: 0xff })).toEqual([0x10, 0x20, 0xff, 0x40, 0x50, 0x60]);
    expect(apply({ kind: 'insert', at: 6, bytes: Uint8Array.from([1, 2]) })).toEqual([0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 1, 2]);
    expect(apply({ kind: 'delete', at: 1, len: 2 })).toEqual([0x10, 0x40, 0x50, 0x60]);
    expect(apply({ kind: 'truncate', at: 3 })).toEqual([0x10, 0x20, 0x30]);
  });
  it('sets length fields to zero, all ones, the sign bit, and old + 1, in either byte order', () => {
    expect(apply({ kind: 'length', at: 1, width: 2, value: 'zero', littleEndian: true })).toEqual([0x10, 0, 0, 0x40, 0x50, 0x60]);
    expect(apply({ kind: 'length', at: 0, width: 4, value: 'negative-one', littleEndian: true })).toEqual([0xff, 0xff, 0xff, 0xff, 0x50, 0x60]);
    expect(apply({ kind: 'length', at: 0, width: 2, value: 'min', littleEndian: false })).toEqual([0x80, 0x00, 0x30, 0x40, 0x50, 0x60]);
    expect(apply({ kind: 'length', at: 0, width: 2, value: 'plus-one', littleEndian: true })).toEqual([0x11, 0x20, 0x30, 0x40, 0x50, 0x60]);
    expect(apply({ kind: 'length', at: 0, width: 8, value: 'zero', littleEndian: true })).toEqual(Array.from(input));
  });
  it('duplicates and swaps chunks and records', () => {
    expect(apply({ kind: 'duplicate', at: 0, len: 2, to: 6 })).toEqual([0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x10, 0x20]);
    expect(apply({ kind: 'swap', at: 0, to: 4, len: 2 })).toEqual([0x50, 0x60, 0x30, 0x40, 0x10, 0x20]);
    expect(apply({ kind: 'record', op: 'swap', a: 0, b: 2 }, 2)).toEqual([0x50, 0x60, 0x30, 0x40, 0x10, 0x20]);
    expect(apply({ kind: 'record', op: 'duplicate', a: 1, b: 0 }, 3)).toEqual([0x40, 0x50, 0x60, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60]);
  });
  it('never changes its input and is deterministic for a fast-check seed', () => {
    const seeds = [{ name: 's', bytes: input }];
    const a = fc.sample(mutationArbitrary(seeds), { seed: 42, numRuns: 50 });
    const b = fc.sample(mutationArbitrary(seeds), { seed: 42, numRuns: 50 });
    expect(a.map((m) => Array.from(m.bytes))).toEqual(b.map((m) => Array.from(m.bytes)));
    expect(Array.from(input)).toEqual([0x10, 0x20, 0x30, 0x40, 0x50, 0x60]);
  });
});
