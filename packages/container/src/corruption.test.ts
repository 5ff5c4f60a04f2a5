/**
 * EXPECTED FAILURE tests: a container is never trusted. Every single-byte change and every
 * truncation of a small container must throw a onebit typed error — never a crash, never a
 * silently different model — and each kind of damage gets the error that names it.
 */
import { packSigns } from '@onebit/bits';
import {
  ChecksumError, FormatError, LimitError, OnebitError, tensor, TruncatedError, UnsupportedError, WrongFileError,
} from '@onebit/core';
import { describe, expect, it } from 'vitest';
import { crc32 } from '@onebit/core';
import { readContainer } from './read-container.js';
import { writeContainer } from './write-container.js';

const small = writeContainer({
  model: { arch: 'tiny' },
  graph: new Uint8Array([1, 2, 3]),
  tensors: [
    { name: 'w', role: 'binary-weight', weight: { dims: [2, 1, 3, 3], bits: packSigns(new Float32Array([1, -1, 1, -1, -1, 1, 1, 1, -1, -1, -1, -1, 1, 1, 1, 0, -0, -1])), scale: 0.5 } },
    { name: 's', role: 'binary-weight', weight: { dims: [2, 33], bits: packSigns(new Float32Array(66).map((_, i) => (i % 3 ? 1 : -1))), scale: new Float32Array([1, 2]) } },
    { name: 'b', role: 'float', tensor: tensor('float32', [2], new Float32Array([0.5, -2])) },
  ],
});

function headerOf(bytes: Uint8Array): string {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  return new TextDecoder().decode(bytes.subarray(20, 20 + length));
}

/** Rebuilds a file with `header` (and a correct header CRC) in place of its own, keeping the data area. */
function withHeader(bytes: Uint8Array, header: string, data = dataOf(bytes)): Uint8Array {
  const h = new TextEncoder().encode(header);
  const start = Math.ceil((20 + h.length) / 64) * 64;
  const out = new Uint8Array(start + data.length);
  out.set(bytes.subarray(0, 12));
  const view = new DataView(out.buffer);
  view.setUint32(12, h.length, true);
  view.setUint32(16, crc32(h), true);
  out.set(h, 20);
  out.set(data, start);
  return out;
}

function dataOf(bytes: Uint8Array): Uint8Array {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  return bytes.slice(Math.ceil((20 + length) / 64) * 64);
}

describe('readContainer on damaged files', () => {
  it(`throws a onebit error for every single-byte change of a ${small.length}-byte container`, () => {
    expect(() => readContainer(small)).not.toThrow();
    const kinds = new Map<string, number>();
    for (let i = 0; i < small.length; i++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const bad = small.slice();
        bad[i]! ^= mask;
        let error: unknown;
        try {
          readContainer(bad);
        } catch (e) {
          error = e;
        }
        if (!(error instanceof OnebitError)) throw new Error(`byte ${i} ^ 0x${mask.toString(16)} gave ${error === undefined ? 'a model' : String(error)}`);
        kinds.set(error.name, (kinds.get(error.name) ?? 0) + 1);
      }
    }
    // Most damage is caught by a CRC; magic, version, header length and padding bytes have their own errors.
    expect([...kinds.keys()].sort()).toEqual(['ChecksumError', 'FormatError', 'LimitError', 'TruncatedError', 'UnsupportedError']);
    expect(kinds.get('ChecksumError')! > small.length).toBe(true);
  });

  it('throws TruncatedError or FormatError for every truncation', () => {
    for (let n = 0; n < small.length; n++) {
      let error: unknown;
      try {
        readContainer(small.subarray(0, n));
      } catch (e) {
        error = e;
      }
      if (!(error instanceof FormatError)) throw new Error(`truncating to ${n} bytes gave ${error === undefined ? 'a model' : String(error)}`);
    }
    expect(() => readContainer(small.subarray(0, 0))).toThrow(TruncatedError);
    expect(() => readContainer(small.subarray(0, small.length - 1))).toThrow(/needs 264 bytes but only 263 remain|needs \d+ bytes but only \d+ remain/);
  });

  it('names a wrong checksum with the expected and computed values', () => {
    const bad = small.slice();
    bad[bad.length - 1]! ^= 1;
    expect(() => readContainer(bad)).toThrow(ChecksumError);
    expect(() => readContainer(bad)).toThrow(/onebit: tensor "b" data checksum mismatch: expected [0-9a-f]{8}, computed [0-9a-f]{8}\./);
    const badHeader = small.slice();
    badHeader[30]! ^= 1;
    try {
      readContainer(badHeader);
    } catch (e) {
      expect(e).toBeInstanceOf(ChecksumError);
      const c = e as ChecksumError;
      expect(c.expected).toBe(new DataView(small.buffer).getUint32(16, true).toString(16).padStart(8, '0'));
      expect(c.actual).not.toBe(c.expected);
      expect(c.message).toMatch(/^onebit: header checksum mismatch/);
    }
  });

  it('refuses an unknown version', () => {
    const bad = small.slice();
    bad[8] = 3;
    expect(() => readContainer(bad)).toThrow(UnsupportedError);
    expect(() => readContainer(bad)).toThrow('onebit: container version 3 at byte 8 is not supported; this reader knows versions 1 to 2.');
  });

  it('tells wrong files, foreign bytes and trailing bytes apart', () => {
    expect(() => readContainer(new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 3400000\n'))).toThrow(WrongFileError);
    expect(() => readContainer(new Uint8Array(40).fill(7))).toThrow('onebit: the file starts with 07 07 07 07 07 07 07 07, not the onebit magic 89 4f 4e 45 42 49 54 0a.');
    const longer = new Uint8Array(small.length + 1);
    longer.set(small);
    expect(() => readContainer(longer)).toThrow(/1 unexpected bytes follow the last section/);
  });

  it('checks the header length against the file before reading it', () => {
    const bad = small.slice();
    new DataView(bad.buffer).setUint32(12, 0xfffffff0, true);
    expect(() => readContainer(bad)).toThrow(LimitError);
    new DataView(bad.buffer).setUint32(12, 10_000, true);
    expect(() => readContainer(bad)).toThrow(TruncatedError);
  });

  it('refuses corrupt JSON and wrong header shapes with a CRC that matches', () => {
    expect(() => readContainer(withHeader(small, '{"model":{},'))).toThrow(/header .* is not valid UTF-8 JSON/);
    expect(() => readContainer(withHeader(small, '[]'))).toThrow('onebit: header is [], not a JSON object.');
    const h = headerOf(small);
    expect(() => readContainer(withHeader(small, h.replace('"dims":[2,1,3,3]', '"dims":[2,1,3,-3]')))).toThrow('onebit: header tensors[0].dims[3] is -3, not a non-negative integer.');
    expect(() => readContainer(withHeader(small, h.replace('"dims":[2,1,3,3]', '"dims":[2,1,3,4]')))).toThrow(/tensors\[0\].bits.rowLength is 9 but dims \[2, 1, 3, 4\] give 12/);
    expect(() => readContainer(withHeader(small, h.replace('"role":"float"', '"role":"ternary"')))).toThrow(UnsupportedError);
    expect(() => readContainer(withHeader(small, h.replace('"order":"lsb-first"', '"order":"msb-first"')))).toThrow(UnsupportedError);
    expect(() => readContainer(withHeader(small, h.replace('"name":"s"', '"name":"w"')))).toThrow(/repeats an earlier tensor's name/);
    expect(() => readContainer(withHeader(small, h.replace('"dims":[2],"offset"', '"dims":[3],"offset"')))).toThrow(/scale.dims is \[3\] but the weight has 2 output channels/);
  });

  it('checks offsets and lengths against the file length before allocating', () => {
    const h = headerOf(small);
    const huge = h.replace('"name":"b","role":"float","dims":[2]', '"name":"b","role":"float","dims":[1000000000000]');
    expect(() => readContainer(withHeader(small, huge))).toThrow('onebit: header tensors[2].data.length is 8 but its dims and dtype need 4000000000000 bytes.');
    const far = h.replace(/("name":"b".*?"offset":)\d+/, '$1999999936');
    expect(() => readContainer(withHeader(small, far))).toThrow(TruncatedError);
    const moved = h.replace(/("name":"b".*?"offset":)(\d+)/, (_, a: string, o: string) => `${a}${Number(o) + 64}`);
    const data = dataOf(small);
    const padded = new Uint8Array(data.length + 64);
    padded.set(data.subarray(0, data.length - 8));
    padded.set(data.subarray(data.length - 8), data.length + 56);
    expect(() => readContainer(withHeader(small, moved, padded))).toThrow(/the canonical layout puts it at/);
  });

  it('refuses set padding bits and non-zero gaps even when the CRCs match', () => {
    const h = headerOf(small);
    const data = dataOf(small);
    // tensor "w" row 0 word: set bit 9 (a padding bit) and fix its CRC in the header
    const dirty = data.slice();
    dirty[64 + 1]! |= 0x02;
    const wOffset = Number(/"name":"w".*?"data":\{"offset":(\d+)/.exec(h)![1]);
    expect(wOffset).toBe(64);
    const crc = crc32(dirty.subarray(64, 72)).toString(16).padStart(8, '0');
    const fixed = h.replace(/("name":"w".*?"crc32":")[0-9a-f]{8}/, `$1${crc}`);
    expect(() => readContainer(withHeader(small, fixed, dirty))).toThrow(/binary weight "w" row 0 has set padding bits/);
    const gap = data.slice();
    gap[10] = 1; // between the 3-byte graph section and the next section at 64
    expect(() => readContainer(withHeader(small, h, gap))).toThrow(/gap before tensor "w" data: byte \d+ is 0x01; padding must be zero/);
  });
});
