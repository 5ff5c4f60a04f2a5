/** Tests that obviously-wrong files (empty, Git LFS pointer, HTML) are named as such, and models are not. */
import { describe, expect, it } from 'vitest';
import { assertNotWrongFile, describeWrongFile } from './wrong-file.js';
import { WrongFileError } from './errors.js';

const text = (s: string) => new TextEncoder().encode(s);

describe('describeWrongFile', () => {
  it('names empty files, LFS pointers and HTML pages', () => {
    expect(describeWrongFile(new Uint8Array(0), 'model.onnx')).toBe('model.onnx is empty (0 bytes).');
    expect(describeWrongFile(text('version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 42\n'), 'm.pt')).toBe(
      'm.pt is a Git LFS pointer to a 42-byte object, not the model itself; run `git lfs pull` or download the real file.',
    );
    expect(describeWrongFile(text('\n  <html><body>login</body></html>'), 'm.mat')).toBe('m.mat is an HTML page (34 bytes), probably an error or login page saved instead of the download.');
  });
  it('says nothing about real model bytes', () => {
    expect(describeWrongFile(new Uint8Array([0x08, 0x07, 0x12, 0x07]))).toBeUndefined();
    expect(describeWrongFile(text('MATLAB 5.0 MAT-file'))).toBeUndefined();
  });
  it('throws a WrongFileError with a capitalised sentence', () => {
    expect(() => assertNotWrongFile(new Uint8Array(0))).toThrow(new WrongFileError('The file is empty (0 bytes).'));
  });
});
