/**
 * Tests of the restricted unpickler: plain data in every protocol 0-5 (pickled by CPython, see
 * test-fixtures/pytorch/generate.py), hand-assembled opcode sequences, and EXPECTED FAILURE cases
 * (unknown opcodes, stack and memo misuse, truncation, limits) that must throw typed errors.
 */
import { readFileSync } from 'node:fs';
import { ByteReader, FormatError, LimitError, OnebitError, SecurityError, TruncatedError, UnsupportedError } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import { allowListedGlobals } from './allow-list.js';
import { decodeLong, unpickle, type UnpickleLimits } from './unpickler.js';

const dir = new URL('../../../test-fixtures/pytorch/', import.meta.url);
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, dir)));
const load = (bytes: Uint8Array | number[] | string, limits?: Partial<UnpickleLimits>): unknown => {
  const data = typeof bytes === 'string' ? Uint8Array.from(bytes, (c) => c.charCodeAt(0)) : Uint8Array.from(bytes);
  return unpickle(new ByteReader(data, 'pickle'), { findGlobal: allowListedGlobals('pickle'), limits });
};

const PLAIN_DATA = new Map<unknown, unknown>([
  ['none', null],
  ['true', true],
  ['false', false],
  ['ints', [0, 1, -1, 255, 256, 65535, 65536, -(2 ** 31), 2 ** 31 - 1, 2 ** 31, 2n ** 53n, 2n ** 64n + 3n, -(2n ** 70n)]],
  ['float', [1.5, -0.25, 1e300]],
  ['str', 'héllo ☃ \n "quote" \\'],
  ['bytes', new Uint8Array([0, 1, 255, 32, 97, 98, 99])],
  ['empty_bytes', new Uint8Array(0)],
  ['tuple', [1, 'two', [3.0]]],
  ['empty', [[], [], new Map()]],
  ['shared', [[1, 2], [1, 2]]],
  ['nested', new Map([['a', new Map([['b', new Map([['c', [1, [2, [3]]]]])]])]])],
  [7, 'int key'],
]);

describe('unpickle plain data', () => {
  for (let protocol = 0; protocol <= 5; protocol++) {
    it(`reads protocol ${protocol} exactly as CPython wrote it`, () => {
      const value = load(fixture(`plain-data.p${protocol}.pkl`)) as Map<unknown, unknown>;
      expect(value).toEqual(PLAIN_DATA);
      const shared = value.get('shared') as unknown[];
      expect(shared[0]).toBe(shared[1]);
    });
  }

  it('decodes two\'s-complement LONG1 bytes', () => {
    expect(decodeLong(new Uint8Array([]))).toBe(0);
    expect(decodeLong(new Uint8Array([0xff]))).toBe(-1);
    expect(decodeLong(new Uint8Array([0x00, 0x80]))).toBe(-32768);
    expect(decodeLong(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f, 0]))).toBe(2 ** 53 - 1);
    expect(decodeLong(new Uint8Array([0, 0, 0, 0, 0, 0, 0x20, 0]))).toBe(2n ** 53n);
  });

  it('reads protocol-0 text opcodes', () => {
    expect(load("(S'a\\x41\\n'\np0\nI01\nI-7\nL12345678901234567890L\nF2.5\nVx\\u00e9\np1\ng0\nl.")).toEqual(['aA\n', true, -7, 12345678901234567890n, 2.5, 'xé', 'aA\n']);
    expect(load('(lp0\nI1\naI2\na.')).toEqual([1, 2]);
    expect(load('(dp0\nS"k"\np1\nI3\ns.')).toEqual(new Map([['k', 3]]));
  });

  it('reads sets, frozensets, DUP, POP and POP_MARK', () => {
    expect(load([0x80, 4, 0x8f, 0x28, 0x4b, 1, 0x4b, 2, 0x90, 0x2e])).toEqual(new Set([1, 2]));
    expect(load([0x80, 4, 0x28, 0x4b, 3, 0x91, 0x2e])).toEqual(new Set([3]));
    expect(load([0x4b, 1, 0x32, 0x86, 0x2e])).toEqual([1, 1]);
    expect(load([0x4b, 1, 0x4b, 2, 0x30, 0x28, 0x4b, 9, 0x31, 0x85, 0x2e])).toEqual([1]);
  });
});

describe('EXPECTED FAILURE: malformed pickles', () => {
  const fails = (bytes: number[] | string, type: new (...a: never[]) => Error, message: string, limits?: Partial<UnpickleLimits>): void => {
    expect(() => load(bytes, limits)).toThrow(type);
    expect(() => load(bytes, limits)).toThrow(message);
  };

  it('names an unknown opcode and its offset in hex', () => {
    fails([0x80, 2, 0xff], FormatError, 'pickle: byte 0xff at offset 2 is not a pickle opcode (corrupt file or not a pickle).');
  });
  it('refuses stack and mark misuse', () => {
    fails([0x80, 2, 0x2e], FormatError, 'pickle: STOP at byte 2 finds 0 values on the stack instead of 1.');
    fails([0x61, 0x2e], FormatError, 'pickle: APPEND at byte 0 pops from an empty stack.');
    fails([0x5d, 0x61, 0x2e], FormatError, 'pickle: APPEND at byte 1 needs a value but the stack is empty.');
    fails([0x4b, 1, 0x74, 0x2e], FormatError, 'pickle: TUPLE at byte 2 needs a MARK but none is open.');
    fails([0x28, 0x4b, 1, 0x2e], FormatError, 'pickle: STOP at byte 3 leaves 1 MARK(s) open.');
    fails([0x4b, 1, 0x4b, 2, 0x61, 0x2e], FormatError, 'pickle: APPEND at byte 4 appends to the number 1, not a list.');
    fails([0x7d, 0x28, 0x4b, 1, 0x75, 0x2e], FormatError, 'pickle: a dict has 1 items after its MARK, an odd number.');
  });
  it('refuses reads of memo entries never stored', () => {
    fails([0x80, 2, 0x68, 5, 0x2e], FormatError, 'pickle: BINGET at byte 2 reads memo entry 5, which was never stored.');
  });
  it('says how many bytes were missing when the pickle is truncated', () => {
    fails([0x80, 2, 0x58, 10, 0, 0, 0, 0x61], TruncatedError, 'pickle: BINUNICODE at byte 7 needs 10 bytes but only 1 remain (file truncated?).');
    fails([0x80, 2, 0x5d], TruncatedError, 'pickle: pickle opcode at byte 3 needs 1 bytes but only 0 remain (file truncated?).');
    fails('I12', TruncatedError, 'pickle: INT at byte 1 needs 3 bytes but only 2 remain (file truncated?).');
  });
  it('refuses newer protocols, out-of-band buffers and extension codes', () => {
    fails([0x80, 6, 0x2e], UnsupportedError, 'pickle: pickle protocol 6 at byte 0 is newer than protocol 5, the highest onebit reads.');
    fails([0x80, 5, 0x97, 0x2e], UnsupportedError, 'NEXT_BUFFER at byte 2');
    fails([0x80, 2, 0x82, 1, 0x2e], SecurityError, 'pickle: EXT1 at byte 2 refers to copyreg extension code 1, which is not on the allow-list; onebit never executes code from a checkpoint.');
  });
  it('refuses persistent ids when there are no storages', () => {
    fails([0x4b, 1, 0x51, 0x2e], UnsupportedError, 'pickle: BINPERSID at byte 2 refers to external data, which this pickle cannot have.');
  });
  it('refuses calls of values and of data-only globals', () => {
    fails([0x4b, 1, 0x29, 0x52, 0x2e], FormatError, 'pickle: REDUCE at byte 3 calls the number 1, which is not an allowed callable.');
    fails('ctorch\nFloatStorage\n)R.', SecurityError, "pickle: REDUCE at byte 21 calls 'torch.FloatStorage', which onebit allows only as data, not as a call.");
  });
  it('enforces the nesting, memo, item and integer-size limits', () => {
    fails('('.repeat(1001), LimitError, 'pickle: more than 1000 nested MARKs at byte 1000; the pickle is nested too deeply to load safely.');
    fails([0x5d, 0x94, 0x94, 0x94, 0x2e], LimitError, 'pickle: more than 2 memo entries at byte 3; the pickle is too large to load safely.', { maxMemo: 2 });
    fails([0x5d, 0x32, 0x32, 0x32, 0x2e], LimitError, 'pickle: more than 3 values at byte 3; the pickle is too large to load safely.', { maxItems: 3 });
    fails([0x8b, 0xd0, 0x07, 0, 0], LimitError, 'pickle: a 2000-byte integer at byte 0 exceeds the 1024-byte limit.');
  });
  it('throws only typed errors on random input', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    for (let round = 0; round < 3000; round++) {
      const bytes = Array.from({ length: 1 + (next() % 40) }, next);
      try {
        load(bytes);
      } catch (error) {
        expect(error, JSON.stringify(bytes)).toBeInstanceOf(OnebitError);
      }
    }
  });
});
