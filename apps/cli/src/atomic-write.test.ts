/**
 * Output safety of writeFileAtomic: a failed write leaves no partial file; the command's own input
 * is never overwritten, also through a symbolic or hard link; and a writer process killed mid-write
 * (SIGKILL or Ctrl-C) leaves either no target or the previous complete one — and after SIGINT no
 * temporary `.partial` file.
 */
import { spawn } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '@onebit/core';
import { writeFileAtomic } from './atomic-write.js';

const base = mkdtempSync(join(tmpdir(), 'onebit-atomic-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const partials = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.partial'));

describe('writeFileAtomic', () => {
  it('writes the bytes and leaves no temporary file', () => {
    const dir = join(base, 'ok');
    writeFileAtomic(join(dir, 'out.onnx'), new Uint8Array([1, 2, 3]));
    expect(Array.from(readFileSync(join(dir, 'out.onnx')))).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['out.onnx']);
  });

  it('EXPECTED FAILURE: a failed rename leaves no partial output and the existing path untouched', () => {
    const dir = join(base, 'fail');
    mkdirSync(join(dir, 'out.onnx'), { recursive: true });
    writeFileSync(join(dir, 'out.onnx', 'keep.txt'), 'keep');
    expect(() => writeFileAtomic(join(dir, 'out.onnx'), new Uint8Array(1000))).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir)).toEqual(['out.onnx']);
    expect(readFileSync(join(dir, 'out.onnx', 'keep.txt'), 'utf8')).toBe('keep');
  });

  it('EXPECTED FAILURE: refuses to overwrite its input, by path, through a symbolic link and through a hard link', () => {
    const dir = join(base, 'input');
    mkdirSync(dir);
    const input = join(dir, 'model.onnx');
    writeFileSync(input, 'original');
    symlinkSync(input, join(dir, 'sym.onnx'));
    linkSync(input, join(dir, 'hard.onnx'));
    for (const target of [input, join(dir, '.', 'model.onnx'), join(dir, 'sym.onnx'), join(dir, 'hard.onnx')]) {
      expect(() => writeFileAtomic(target, 'new', [input])).toThrow(new UsageError(`Refusing to overwrite the input file ${input}; choose another output path.`));
    }
    expect(readFileSync(input, 'utf8')).toBe('original');
    expect(partials(dir)).toEqual([]);
  });
});

const SIZE = 48 * 1024 * 1024;
const writer = `
import { writeFileAtomic } from ${JSON.stringify(fileURLToPath(new URL('../dist/atomic-write.js', import.meta.url)))};
const target = process.argv[2];
for (let generation = 1; ; generation++) {
  writeFileAtomic(target, new Uint8Array(${SIZE}).fill(generation & 0xff));
  process.stdout.write('wrote ' + generation + '\\n');
  await new Promise((r) => setImmediate(r));
}
`;

/** Starts a process rewriting `target` in a loop; kills it with `signal` while a .partial file exists after the first complete write. */
async function killMidWrite(dir: string, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; midWrite: boolean }> {
  mkdirSync(dir, { recursive: true });
  const script = join(dir, '..', `writer-${signal}.mjs`);
  writeFileSync(script, writer);
  const child = spawn(process.execPath, [script, join(dir, 'out.bin')], { stdio: ['ignore', 'pipe', 'inherit'] });
  let wrote = 0;
  child.stdout.on('data', (chunk: Buffer) => (wrote += (chunk.toString().match(/wrote/g) ?? []).length));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !(wrote >= 1 && partials(dir).length > 0)) await new Promise((r) => setTimeout(r, 2));
  const midWrite = partials(dir).length > 0;
  child.kill(signal);
  return { ...(await exited), midWrite };
}

/** The target is absent or a complete generation: SIZE bytes, all equal. */
function expectCompleteOrAbsent(file: string): void {
  if (!existsSync(file)) return;
  expect(statSync(file).size).toBe(SIZE);
  const bytes = readFileSync(file);
  expect(bytes.every((b) => b === bytes[0])).toBe(true);
}

describe('EXPECTED FAILURE: a writer killed mid-write', () => {
  it('SIGKILL leaves the previous complete target', async () => {
    const dir = join(base, 'sigkill');
    const { signal, midWrite } = await killMidWrite(dir, 'SIGKILL');
    expect(midWrite).toBe(true);
    expect(signal).toBe('SIGKILL');
    expect(existsSync(join(dir, 'out.bin'))).toBe(true);
    expectCompleteOrAbsent(join(dir, 'out.bin'));
  });

  it('SIGINT leaves the previous complete target and no .partial file', async () => {
    const dir = join(base, 'sigint');
    const { code, midWrite } = await killMidWrite(dir, 'SIGINT');
    expect(midWrite).toBe(true);
    expect(code).toBe(130);
    expectCompleteOrAbsent(join(dir, 'out.bin'));
    expect(partials(dir)).toEqual([]);
  });
});
