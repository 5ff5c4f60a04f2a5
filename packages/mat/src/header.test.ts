/** Tests of the 128-byte header and of telling wrong files, v4 and v7.3 files from level-5 ones. */
import { describe, expect, it } from 'vitest';
import { FormatError, TruncatedError, UnsupportedError, WrongFileError } from '@onebit/core';
import { isMatFile, readHeader } from './header.js';
import { header } from './mat-builder.fixture.js';

const text = (s: string) => new TextEncoder().encode(s);

describe('readHeader', () => {
  it('reads a little-endian header', () => {
    expect(readHeader(header(true, 'MATLAB 5.0 MAT-file, test'))).toEqual({ header: 'MATLAB 5.0 MAT-file, test', version: 0x0100, littleEndian: true });
  });

  it('reads a big-endian header (endian indicator "MI", version stored big-endian)', () => {
    const bytes = header(false);
    expect([...bytes.subarray(124)]).toEqual([0x01, 0x00, 0x4d, 0x49]);
    expect(readHeader(bytes).littleEndian).toBe(false);
  });

  it('EXPECTED FAILURE: names wrong files', () => {
    expect(() => readHeader(new Uint8Array(0))).toThrow(new WrongFileError('The MAT file is empty (0 bytes).'));
    const lfs = text('version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 4080382\n');
    expect(() => readHeader(lfs)).toThrow(WrongFileError);
    expect(() => readHeader(lfs)).toThrow(/Git LFS pointer to a 4080382-byte object/);
    expect(() => readHeader(text('<!DOCTYPE html><html><body>404</body></html>'))).toThrow(/is an HTML page/);
    expect(() => readHeader(text('just some text that is long enough'.repeat(5)))).toThrow(
      new WrongFileError('The file is not a MAT file: it does not start with a MATLAB header.'),
    );
    expect(() => readHeader(text('short'))).toThrow(new WrongFileError('The file is not a MAT file: it has only 5 bytes and no MATLAB header.'));
  });

  it('EXPECTED FAILURE: refuses v7.3 (HDF5) and v4 files by name', () => {
    const v73 = new Uint8Array(1024);
    v73.set(text('MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan 1 00:00:00 2024 HDF5 schema 1.00 .'));
    v73.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 512);
    expect(() => readHeader(v73)).toThrow(new UnsupportedError("MAT: this is a MATLAB v7.3 (HDF5) file, which onebit does not read; re-save it in MATLAB with save(..., '-v7')."));
    // scipy.io.savemat(f, {'a': [[1.0, 2.0]]}, format='4')
    const v4 = Uint8Array.from(atob('AAAAAAEAAAACAAAAAAAAAAIAAABhAAAAAAAAAPA/AAAAAAAAAEA='), (c) => c.charCodeAt(0));
    expect(() => readHeader(v4)).toThrow(new UnsupportedError("MAT: this is a MATLAB v4 file, which onebit does not read; re-save it in MATLAB with save(..., '-v7')."));
  });

  it('EXPECTED FAILURE: a truncated header, a bad endian indicator, a bad version', () => {
    expect(() => readHeader(header().subarray(0, 100))).toThrow(new TruncatedError('MAT', 'header', 0, 128, 100));
    expect(() => readHeader(header().subarray(0, 100))).toThrow('MAT: header at byte 0 needs 128 bytes but only 100 remain (file truncated?).');
    const badEndian = header();
    badEndian.set(text('XX'), 126);
    expect(() => readHeader(badEndian)).toThrow(new FormatError('MAT', 'endian indicator "XX" at byte 126 is neither "IM" nor "MI".', 126));
    const badVersion = header();
    badVersion[125] = 2;
    expect(() => readHeader(badVersion)).toThrow(new UnsupportedError('MAT: header version 0x0200 at byte 124 is not 0x0100, the only level-5 version.'));
  });

  it('isMatFile sniffs level-5, v7.3 and v4 files without throwing', () => {
    expect(isMatFile(header())).toBe(true);
    expect(isMatFile(header(false, 'written by something else'))).toBe(true);
    expect(isMatFile(text('MATLAB 7.3 MAT-file'))).toBe(true);
    expect(isMatFile(Uint8Array.from(atob('AAAAAAEAAAACAAAAAAAAAAIAAABhAAAAAAAAAPA/AAAAAAAAAEA='), (c) => c.charCodeAt(0)))).toBe(true);
    expect(isMatFile(new Uint8Array(0))).toBe(false);
    expect(isMatFile(text('<!DOCTYPE html><html></html>'))).toBe(false);
    expect(isMatFile(text('PK\x03\x04 a zip file'.padEnd(200, '.')))).toBe(false);
  });
});
