/**
 * Tests of the torch zip container beyond the golden fixtures: archives rebuilt with fflate to
 * exercise folder names, byte order and EXPECTED FAILURE cases (missing storages, unknown
 * compression methods, zip bombs, corrupt archives).
 */
import { readFileSync } from 'node:fs';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { FormatError, LimitError, UnsupportedError } from '@onebit/core';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { looksLikeZip, unpickleTorchZip } from './torch-zip.js';
import { readTorch } from './checkpoint.js';

const dir = new URL('../../../test-fixtures/pytorch/', import.meta.url);
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, dir)));
const entries = unzipSync(fixture('tiny-cnn.zip.pt'));
/** The tiny CNN re-zipped under `folder` with `edit` applied to its entries (names relative to the folder). */
function rezip(folder: string, edit: (files: Record<string, Uint8Array>) => void = () => {}, level: 0 | 6 = 0): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [name, data] of Object.entries(entries)) files[name.slice(name.indexOf('/') + 1)] = data;
  edit(files);
  return zipSync(Object.fromEntries(Object.entries(files).map(([n, d]) => [`${folder}${n}`, d])), { level });
}

/** A zip of stored and raw-deflated entries, written field by field (APPNOTE 4.3.7, 4.3.12, 4.3.16). */
/**
 * `zip` (from zipOf, entries in order) with `copies` more central-directory records named
 * b/data/x0, x1, … that all point at the local header of its last entry.
 */
function withSharedEntries(zip: Uint8Array, copies: number): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  const count = view.getUint16(end + 10, true);
  const centralAt = view.getUint32(end + 16, true);
  const records: Uint8Array[] = [];
  for (let i = 0, at = centralAt; i < count; i++) {
    const length = 46 + view.getUint16(at + 28, true);
    records.push(zip.subarray(at, at + length));
    at += length;
  }
  const last = records[records.length - 1]!;
  for (let i = 0; i < copies; i++) {
    const name = new TextEncoder().encode(`b/data/x${i}`);
    const copy = new Uint8Array(46 + name.length);
    copy.set(last.subarray(0, 46));
    new DataView(copy.buffer).setUint16(28, name.length, true);
    copy.set(name, 46);
    records.push(copy);
  }
  const central = records.reduce((n, r) => n + r.length, 0);
  const out = new Uint8Array(centralAt + central + 22);
  out.set(zip.subarray(0, centralAt));
  let at = centralAt;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  const ev = new DataView(out.buffer);
  ev.setUint32(at, 0x06054b50, true);
  ev.setUint16(at + 8, records.length, true);
  ev.setUint16(at + 10, records.length, true);
  ev.setUint32(at + 12, central, true);
  ev.setUint32(at + 16, centralAt, true);
  return out;
}

function zipOf(files: readonly { name: string; method: 0 | 8; data: Uint8Array; size: number; crc: number }[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const f of files) {
    const name = new TextEncoder().encode(f.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, f.method, true);
    lv.setUint32(14, f.crc, true);
    lv.setUint32(18, f.data.length, true);
    lv.setUint32(22, f.size, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(10, f.method, true);
    cv.setUint32(16, f.crc, true);
    cv.setUint32(20, f.data.length, true);
    cv.setUint32(24, f.size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local, f.data);
    centrals.push(central);
    offset += local.length + f.data.length;
  }
  const centralSize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, files.length, true);
  ev.setUint16(10, files.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + centralSize + 22);
  let at = 0;
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

describe('torch zip', () => {
  it('accepts any archive folder name, stored or deflated', () => {
    const want = readTorch(fixture('tiny-cnn.zip.pt')).tensors;
    expect(readTorch(rezip('weird name.v2/')).tensors).toEqual(want);
    expect(readTorch(rezip('a/', () => {}, 6)).tensors).toEqual(want);
    expect(unpickleTorchZip(rezip('a/')).folder).toBe('a/');
  });
  it('recognises zip archives by their first local header', () => {
    expect(looksLikeZip(fixture('tiny-cnn.zip.pt'))).toBe(true);
    expect(looksLikeZip(fixture('tiny-cnn.legacy.pt'))).toBe(false);
  });
});

describe('EXPECTED FAILURE: broken torch zips', () => {
  it('names a storage entry that is missing', () => {
    const bytes = rezip('m/', (f) => delete f['data/6']);
    expect(() => readTorch(bytes)).toThrow(FormatError);
    expect(() => readTorch(bytes)).toThrow(/^torch-zip m\/data\.pkl: storage '6' at byte \d+ has no entry 'm\/data\/6' in the archive\.$/);
  });
  it('names a storage entry that is too short', () => {
    const bytes = rezip('m/', (f) => (f['data/6'] = f['data/6']!.subarray(0, 10)));
    expect(() => readTorch(bytes)).toThrow("torch-zip: storage '6' declares 288 float32 elements (1152 bytes) but its data has only 10 bytes.");
  });
  it('refuses a byteorder that is neither little nor big', () => {
    expect(() => readTorch(rezip('m/', (f) => (f['byteorder'] = new TextEncoder().encode('middle'))))).toThrow("torch-zip: m/byteorder says 'middle' instead of 'little' or 'big'.");
  });
  it('refuses compression methods other than stored and deflated', () => {
    const bytes = rezip('m/');
    // Set the method field of every local (offset 8) and central (offset 10) header to 12 (bzip2).
    for (let i = 0; i + 4 < bytes.length; i++) {
      if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 3 && bytes[i + 3] === 4) bytes[i + 8] = 12;
      if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 1 && bytes[i + 3] === 2) bytes[i + 10] = 12;
    }
    expect(() => readTorch(bytes)).toThrow(UnsupportedError);
    expect(() => readTorch(bytes)).toThrow("torch-zip: entry 'm/data.pkl' uses zip compression method 12; onebit reads stored (0) and deflated (8) entries.");
  });
  it('refuses archives whose entries declare more than the inflate limit (zip bombs)', () => {
    const bomb = zipSync({ 'b/data.pkl': new Uint8Array([0x80, 2, 0x4e, 0x2e]), 'b/data/0': new Uint8Array(1 << 20) }, { level: 9 });
    expect(bomb.length).toBeLessThan(5000);
    expect(() => readTorch(bomb, { maxInflatedBytes: 100_000 })).toThrow(LimitError);
    expect(() => readTorch(bomb, { maxInflatedBytes: 100_000 })).toThrow("torch-zip: the deflated entries inflate to more than the 100000-byte limit (maxInflatedBytes; entry 'b/data/0' declares 1048576), refusing a possible zip bomb; pass a larger maxInflatedBytes option to the reader (--max-inflated-bytes on the command line) if the file is trusted.");
    expect(readTorch(bomb).root).toBeNull();
  });
  it('EXPECTED FAILURE: the default limit (1 GiB) refuses a 1 MB archive whose storage honestly inflates to 1.1 GiB', () => {
    const size = 1100 * 1024 ** 2;
    const zeros = Buffer.alloc(size);
    const bomb = zipOf([
      { name: 'b/data.pkl', method: 0, data: new Uint8Array([0x80, 2, 0x4e, 0x2e]), size: 4, crc: crc32(new Uint8Array([0x80, 2, 0x4e, 0x2e])) },
      { name: 'b/data/0', method: 8, data: new Uint8Array(deflateRawSync(zeros, { level: 9, strategy: constants.Z_RLE })), size, crc: crc32(zeros) },
    ]);
    expect(bomb.length).toBeLessThan(1.2e6);
    expect(() => readTorch(bomb)).toThrow(LimitError);
    expect(() => readTorch(bomb)).toThrow(`torch-zip: the deflated entries inflate to more than the 1073741824-byte limit (maxInflatedBytes; entry 'b/data/0' declares ${size}), refusing a possible zip bomb; pass a larger maxInflatedBytes option to the reader (--max-inflated-bytes on the command line) if the file is trusted.`);
    // A well-formed archive (fflate lists it, nothing inflated): only the limit refuses it.
    const listed: [string, number, number][] = [];
    unzipSync(bomb, { filter: (f) => (listed.push([f.name, f.compression, f.originalSize]), false) });
    expect(listed).toEqual([['b/data.pkl', 0, 4], ['b/data/0', 8, size]]);
  }, 30_000);
  it('does not count stored entries against maxInflatedBytes (torch.save stores them: a checkpoint over the limit is read), but refuses stored entries that overlap', () => {
    const pkl = new Uint8Array([0x80, 2, 0x4e, 0x2e]);
    const data = new Uint8Array(4096).fill(7);
    const stored = zipOf([
      { name: 'b/data.pkl', method: 0, data: pkl, size: 4, crc: crc32(pkl) },
      { name: 'b/data/0', method: 0, data, size: data.length, crc: crc32(data) },
    ]);
    expect(readTorch(stored, { maxInflatedBytes: 100 }).root).toBeNull();
    // A central directory listing many names for one local header would make fflate copy the same bytes again and again.
    const overlapping = withSharedEntries(stored, 40);
    expect(() => readTorch(overlapping)).toThrow(FormatError);
    expect(() => readTorch(overlapping)).toThrow(/^torch-zip: the stored entries up to 'b\/data\/x\d+' declare \d+ bytes, more than the \d+-byte archive holds \(entries overlap\)\.$/);
  });
  it('wraps fflate errors on corrupt archives', () => {
    const bytes = fixture('tiny-cnn.zip.pt');
    expect(() => readTorch(bytes.subarray(0, bytes.length - 30))).toThrow('torch-zip: the zip archive is corrupt or truncated (invalid zip data).');
  });
});
