/**
 * Tests of confinedReader with resolveExternalData on real folders: files inside the model's folder
 * load; `../../etc/passwd`, absolute paths, NUL bytes, symbolic links out of the folder, folders and
 * FIFOs are refused with messages naming the location.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelError, SecurityError } from '@onebit/core';
import { confinedReader } from './confined-reader.js';
import { resolveExternalData } from './external-data.js';
import { GraphBuilder } from './graph-builder.js';
import type { OnnxModel } from './model.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'onebit-confined-')));
const folder = join(base, 'model');
mkdirSync(join(folder, 'data'), { recursive: true });
writeFileSync(join(folder, 'data', 'w.bin'), new Uint8Array(new Float32Array([1.5, -3]).buffer));
writeFileSync(join(base, 'secret.bin'), new Uint8Array(8));
writeFileSync(join(folder, '..w.bin'), new Uint8Array(new Float32Array([2, 4]).buffer));
symlinkSync(join(base, 'secret.bin'), join(folder, 'link.bin'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function modelWithExternal(location: string): OnnxModel {
  const b = new GraphBuilder('g');
  b.input('x', 'float32', [2]);
  b.output('y', 'float32', [2], b.node('Relu', ['x']));
  const m = b.build();
  m.graph.initializers.push({ name: 'w', tensor: { dtype: 'float32', dims: [2], data: new Float32Array(0) }, externalData: { location, offset: 0 } });
  return m;
}

describe('confinedReader', () => {
  it('reads a file in a subfolder of the model folder, and names starting with two dots', async () => {
    const m = await resolveExternalData(modelWithExternal('data/w.bin'), confinedReader(folder));
    expect(m.graph.initializers[0]!.tensor.data).toEqual(new Float32Array([1.5, -3]));
    expect(Array.from(confinedReader(folder)('..w.bin') as Uint8Array)).toEqual(Array.from(new Uint8Array(new Float32Array([2, 4]).buffer)));
  });
  it('EXPECTED FAILURE: refuses ../../etc/passwd and absolute paths by name', () => {
    const read = confinedReader(folder);
    expect(() => read('../../etc/passwd')).toThrow(new SecurityError(`ONNX: external data location "../../etc/passwd" leaves the model's folder ${folder}.`));
    expect(() => read('data/../../secret.bin')).toThrow(SecurityError);
    expect(() => read('/etc/passwd')).toThrow(new SecurityError(`ONNX: external data location "/etc/passwd" is an absolute path; it must name a file inside the model's folder ${folder}.`));
    expect(() => read('C:\\Windows\\win.ini')).toThrow(SecurityError);
    expect(() => read('w.bin\0../../etc/passwd')).toThrow('ONNX: external data location "w.bin\\u0000../../etc/passwd" contains a NUL byte.');
  });
  it('EXPECTED FAILURE: refuses a symbolic link that points outside the folder', () => {
    expect(() => confinedReader(folder)('link.bin')).toThrow(new SecurityError(`ONNX: external data location "link.bin" resolves to ${join(base, 'secret.bin')}, outside the model's folder ${folder}.`));
  });
  it('EXPECTED FAILURE: names a missing file, a folder and a FIFO', () => {
    const read = confinedReader(folder);
    expect(() => read('nope.bin')).toThrow(new ModelError(`ONNX: external data file "nope.bin" does not exist in the model's folder ${folder}.`));
    expect(() => read('data')).toThrow(new ModelError(`ONNX: external data location "data" in ${folder} is not a regular file.`));
    execFileSync('mkfifo', [join(folder, 'pipe')]);
    expect(() => read('pipe')).toThrow(new ModelError(`ONNX: external data location "pipe" in ${folder} is not a regular file.`));
  });
  it('EXPECTED FAILURE: the folder itself is not a file', () => {
    expect(() => confinedReader(folder)('.')).toThrow(SecurityError);
  });
});
