/**
 * Tests of the external-data reader of `onebit convert`: it reads files in the model's folder
 * (also in subfolders), and refuses a symbolic link out of the folder and a missing file, naming them.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SecurityError } from '@onebit/core';
import { confinedReader } from './confined-reader.js';

const root = mkdtempSync(join(tmpdir(), 'onebit-confined-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const model = join(root, 'm', 'model.onnx');
mkdirSync(join(root, 'm', 'data'), { recursive: true });
writeFileSync(model, 'x');
writeFileSync(join(root, 'm', 'data', 'w.bin'), new Uint8Array([1, 2, 3]));
writeFileSync(join(root, 'secret.bin'), new Uint8Array([9]));
symlinkSync(join(root, 'secret.bin'), join(root, 'm', 'link.bin'));

describe('confinedReader', () => {
  it('reads a file inside the model folder', () => {
    expect(Array.from(confinedReader(model)('data/w.bin') as Uint8Array)).toEqual([1, 2, 3]);
  });
  it('EXPECTED FAILURE: refuses a symbolic link that leaves the folder', () => {
    expect(() => confinedReader(model)('link.bin')).toThrow(SecurityError);
    expect(() => confinedReader(model)('link.bin')).toThrow(/^External data file "link\.bin" of .*model\.onnx resolves to .*secret\.bin, outside the model's folder/);
  });
  it('EXPECTED FAILURE: names a missing file', () => {
    expect(() => confinedReader(model)('nope.bin')).toThrow(`The external data file "nope.bin" of ${model} does not exist.`);
  });
});
