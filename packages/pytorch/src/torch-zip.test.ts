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
    expect(() => readTorch(bomb, { maxInflatedBytes: 100_000 })).toThrow("torch-zip: the entries inflate to more than 100000 bytes (entry 'b/data/0' declares 1048576); refusing a possible zip bomb.");
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
    expect(() => readTorch(bomb)).toThrow(`torch-zip: the entries inflate to more than 1073741824 bytes (entry 'b/data/0' declares ${size}); refusing a possible zip bomb.`);
    // A well-formed archive (fflate lists it, nothing inflated): only the limit refuses it.
    const listed: [string, number, number][] = [];
    unzipSync(bomb, { filter: (f) => (listed.push([f.name, f.compression, f.originalSize]), false) });
    expect(listed).toEqual([['b/data.pkl', 0, 4], ['b/data/0', 8, size]]);
  }, 30_000);
  it('wraps fflate errors on corrupt archives', () => {
    const bytes = fixture('tiny-cnn.zip.pt');
    expect(() => readTorch(bytes.subarray(0, bytes.length - 30))).toThrow('torch-zip: the zip archive is corrupt or truncated (invalid zip data).');
  });
});
