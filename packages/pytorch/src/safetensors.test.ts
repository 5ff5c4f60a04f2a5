/**
 * Tests of the safetensors reader: the hand-written fixture reads to the golden tensors, and
 * EXPECTED FAILURE cases (bad header lengths, bad JSON, unknown dtypes, offsets out of range,
 * overlaps, holes, trailing bytes, truncation) throw typed one-sentence errors.
 */
import { readFileSync } from 'node:fs';
import { FormatError, LimitError, type Tensor, UnsupportedError, WrongFileError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { readSafetensors, sniffSafetensors } from './safetensors.js';

const dir = new URL('../../../test-fixtures/pytorch/', import.meta.url);
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, dir)));
const golden = JSON.parse(readFileSync(new URL('golden.json', dir), 'utf8'))['tiny.safetensors'] as { tensors: Record<string, { dtype: string; shape: number[]; hex: string }>; metadata: Record<string, string> };
const hex = (t: Tensor): string => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex');

/** A safetensors file from a header object (or raw header text) and a data buffer. */
function build(header: object | string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const text = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

describe('readSafetensors', () => {
  it('reads the fixture to exactly the golden tensors and metadata', () => {
    const bytes = fixture('tiny.safetensors');
    expect(sniffSafetensors(bytes)).toBe('safetensors');
    const { tensors, metadata } = readSafetensors(bytes);
    expect(metadata).toEqual(golden.metadata);
    expect([...tensors.keys()]).toEqual(Object.keys(golden.tensors));
    for (const [name, g] of Object.entries(golden.tensors)) {
      const t = tensors.get(name)!;
      expect({ name, dtype: t.dtype, dims: t.dims, hex: hex(t) }).toEqual({ name, dtype: g.dtype, dims: g.shape, hex: g.hex });
    }
    expect(tensors.get('steps')!.data).toEqual(new BigInt64Array([2n ** 40n, -5n]));
  });

  it('reads a file with no tensors and a space-padded header', () => {
    expect(readSafetensors(build('{}      ')).tensors.size).toBe(0);
  });

  it('readers/safetensors/test_whitespace_leading_padded_header: leading JSON whitespace is accepted and sniffed', () => {
    const bytes = new Uint8Array(readFileSync(sharedPath('cases/readers/safetensors/test_whitespace_leading_padded_header.safetensors')));
    expect(sniffSafetensors(bytes)).toBe('safetensors');
    expect(readSafetensors(bytes)).toEqual({ tensors: new Map(), metadata: {} });
    const padded = readSafetensors(build(' \t\r\n{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}} ', new Uint8Array(Float32Array.of(2.5).buffer)));
    expect(padded.tensors.get('w')).toEqual({ dtype: 'float32', dims: [1], data: Float32Array.of(2.5) });
    expect(() => readSafetensors(build('  '))).toThrow(new FormatError('safetensors', "the header at byte 10 is only whitespace instead of '{'.", 10));
  });

  it('sniffs without throwing', () => {
    expect(sniffSafetensors(new Uint8Array(3))).toBeUndefined();
    expect(sniffSafetensors(fixture('tiny-cnn.zip.pt'))).toBeUndefined();
    expect(sniffSafetensors(build('[1]'))).toBeUndefined();
  });
});

describe('readSafetensors maxTensorBytes', () => {
  it('charges each tensor before copying it, naming the option', () => {
    const bytes = build({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'I64', shape: [1], data_offsets: [8, 16] } }, new Uint8Array(16));
    expect([...readSafetensors(bytes, { maxTensorBytes: 16 }).tensors.keys()]).toEqual(['a', 'b']);
    expect(() => readSafetensors(bytes, { maxTensorBytes: 15 })).toThrow(new LimitError(
      "safetensors: tensor 'b' of shape [1] (int64) would take 8 bytes, beyond the 7 bytes left of the 15-byte limit (maxTensorBytes); pass a larger maxTensorBytes option to the reader (--max-tensor-bytes on the command line) if the file is trusted."));
    expect(readSafetensors(bytes).tensors.size).toBe(2); // default: the file's own size is the bound
  });
});

describe('EXPECTED FAILURE: corrupt safetensors', () => {
  const f32 = (n: number): Uint8Array => new Uint8Array(4 * n);
  const cases: [string, Uint8Array, new (...a: never[]) => Error, string][] = [
    ['too short', new Uint8Array([1, 2, 3, 4, 5]), FormatError, 'safetensors: the file has 5 bytes, fewer than the 8-byte header length.'],
    ['header past the end', build('{}').subarray(0, 9), FormatError, 'safetensors: the header length 2 at byte 0 runs past the end of the 9-byte file (file truncated or not safetensors?).'],
    ['huge header length', Uint8Array.from([0, 0, 0, 0, 0, 1, 0, 0, 0x7b, 0x7d]), LimitError, "safetensors: the header length 1099511627776 at byte 0 exceeds the 100000000-byte limit of the format's reference implementation."],
    ['header length beyond 2^53, reported as written', Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7b, 0x7d]), LimitError, "safetensors: the header length 18446744073709551615 at byte 0 exceeds the 100000000-byte limit of the format's reference implementation."],
    ['not an object', build('[1, 2]'), FormatError, "safetensors: the header at byte 8 starts with byte 0x5b instead of '{'."],
    ['bad JSON', build('{"a": '), FormatError, 'safetensors: the 6-byte header at byte 8 is not valid UTF-8 JSON ('],
    ['unknown dtype', build({ a: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), UnsupportedError, "safetensors: tensor 'a' has dtype 'F8_E4M3', which onebit does not read"],
    ['bad shape', build({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, f32(1)), FormatError, "safetensors: tensor 'a' has shape [-1] instead of a list of non-negative integers."],
    ['size mismatch', build({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, f32(1)), FormatError, "safetensors: tensor 'a' of shape [2] and dtype F32 needs 8 bytes but data_offsets [0, 4] give 4."],
    ['out of range', build({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, f32(1)), FormatError, "safetensors: tensor 'a' has data_offsets [0, 8] outside the 4-byte data buffer."],
    ['overlap', build({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(2)), FormatError, "safetensors: tensor 'b' data [4, 8] overlaps the previous tensor's, which ends at 8."],
    ['hole', build({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(2)), FormatError, "safetensors: the data buffer has a 4-byte hole before tensor 'a' at buffer offset 0."],
    ['trailing bytes', build({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(2)), FormatError, 'safetensors: the tensors cover 4 bytes of the 8-byte data buffer (trailing or missing bytes).'],
    ['bad metadata', build({ __metadata__: { a: 1 } }), FormatError, "safetensors: __metadata__ entry 'a' is 1, not a string."],
    ['LFS pointer', new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\nsize 12\n'), WrongFileError, 'Git LFS pointer'],
  ];
  for (const [what, bytes, type, message] of cases) {
    it(what, () => {
      expect(() => readSafetensors(bytes)).toThrow(type);
      expect(() => readSafetensors(bytes)).toThrow(message);
    });
  }
  it('gives a typed error for the fixture truncated anywhere', () => {
    const bytes = fixture('tiny.safetensors');
    for (let cut = 0; cut < bytes.length; cut += 13) {
      expect(() => readSafetensors(bytes.subarray(0, cut)), `cut ${cut}`).toThrow(cut === 0 ? WrongFileError : FormatError);
    }
  });
});
