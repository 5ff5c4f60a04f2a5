/**
 * Start-up checks: every bad flag value is a UsageError naming it (the process exits 2 before the
 * model loads), and a failed listen is one sentence.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKERS, HELP, HELP_REQUESTED, listenError, parseServerArgs } from './options.js';

describe('parseServerArgs', () => {
  it('answers --help with HELP_REQUESTED, whatever else is given', () => {
    expect(parseServerArgs(['--help'])).toBe(HELP_REQUESTED);
    expect(parseServerArgs(['--port', '0', '--help'])).toBe(HELP_REQUESTED);
  });

  it('gives the defaults', () => {
    expect(parseServerArgs([])).toEqual({ model: undefined, labels: undefined, port: 8080, host: '127.0.0.1', maxBytes: 5_000_000, maxPixels: 16_777_216, threads: 1, workers: DEFAULT_WORKERS, queue: 64, deadlineMs: 10_000, backend: 'auto', workerNice: 19, verbose: false });
  });

  it.each([
    [['--max-bytes', 'abc'], '--max-bytes "abc" is not a whole number from 1 to 2147483647.'],
    [['--max-bytes', '0'], '--max-bytes "0" is not a whole number from 1 to 2147483647.'],
    [['--max-bytes', '1e6'], '--max-bytes "1e6" is not a whole number from 1 to 2147483647.'],
    [['--port', '70000'], '--port "70000" is not a whole number from 0 to 65535.'],
    [['--port=-1'], '--port "-1" is not a whole number from 0 to 65535.'],
    [['--max-pixels', '4k'], '--max-pixels "4k" is not a whole number from 1 to 2147483647.'],
    [['--threads', '0'], '--threads "0" is not a whole number from 1 to 256.'],
    [['--workers', '0'], '--workers "0" is not a whole number from 1 to 64.'],
    [['--queue', 'lots'], '--queue "lots" is not a whole number from 0 to 100000.'],
    [['--deadline-ms', '1.5'], '--deadline-ms "1.5" is not a whole number from 1 to 3600000.'],
    [['--backend', 'gpu'], '--backend "gpu" is not one of auto, engine, onnxruntime.'],
    [['--host', ''], '--host is empty; give an address such as 127.0.0.1.'],
    [['--worker-nice', '20'], '--worker-nice "20" is not a whole number from 0 to 19.'],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseServerArgs(argv)).toThrow(new UsageError(message));
  });

  it.each([[['--nope']], [['extra']], [['--port']]])('%j (unknown flag, positional, missing value) is a usage error', (argv) => {
    expect(() => parseServerArgs(argv)).toThrow(UsageError);
  });
});

describe('listenError', () => {
  it('says a port in use in one sentence', () => {
    const e = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    expect(listenError(e, '127.0.0.1', 8080)).toBe('Port 8080 on 127.0.0.1 is already in use; stop the other service or pass another --port.');
  });
});

describe('node dist/main.js', () => {
  const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
  const start = (...args: string[]): Promise<{ code: number | null; stderr: string }> => new Promise((resolve) => {
    const child = execFile(process.execPath, [main, ...args], { timeout: 60_000 }, (_e, _out, stderr) => resolve({ code: child.exitCode, stderr }));
  });

  it('exits 2 with one sentence for --max-bytes abc, before loading any model', async () => {
    expect(await start('--max-bytes', 'abc')).toEqual({ code: 2, stderr: '--max-bytes "abc" is not a whole number from 1 to 2147483647.\n' });
  });

  it('exits 1 with one sentence for a --model file that does not exist (bad input, not a usage mistake nor a bug)', async () => {
    expect(await start('--model', '/nonexistent/model.onnx', '--port', '0')).toEqual({ code: 1, stderr: 'The --model file /nonexistent/model.onnx does not exist.\n' });
  });

  it('exits 1 with the typed error\'s one sentence for a --model that is no model (loaded in the workers)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onebit-server-'));
    writeFileSync(join(dir, 'notes.onnx'), 'shopping list: milk, eggs\n');
    const r = await start('--model', join(dir, 'notes.onnx'), '--port', '0', '--workers', '1');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toContain('bug in onebit');
  });

  it('exits 1 with the data resolver\'s one sentence when the default model is missing (a typed error rebuilt across the conversion thread, not a bug report)', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const env = { ...process.env, ONEBIT_WRN_MATLAB_CIFAR10: '/nonexistent/wrn.mat' };
      const child = execFile(process.execPath, [main, '--port', '0'], { timeout: 60_000, env }, (_e, _out, stderr) => resolve({ code: child.exitCode, stderr }));
    });
    expect(r).toEqual({ code: 1, stderr: 'ONEBIT_WRN_MATLAB_CIFAR10 points at /nonexistent/wrn.mat, which does not exist.\n' });
  });

  it('prints the help and exits 0 for --help', async () => {
    const r = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, [main, '--help'], { timeout: 60_000 }, (_e, stdout) => resolve({ code: child.exitCode, stdout }));
    });
    expect(r).toEqual({ code: 0, stdout: `${HELP}\n` });
  });
});

describe('node dist/load-test.js', () => {
  const script = fileURLToPath(new URL('../dist/load-test.js', import.meta.url));
  it('exits 2 with one sentence for --requests abc, before starting a service that would keep it alive', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [script, '--requests', 'abc'], { timeout: 60_000 }, (_e, _out, stderr) => resolve({ code: child.exitCode, stderr }));
    });
    expect(r).toEqual({ code: 2, stderr: '--requests "abc" is not a whole number from 1 to 10000000.\n' });
  });
});
