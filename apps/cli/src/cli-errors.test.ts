/**
 * The built `onebit` command on broken inputs, as a user would meet them: each gets a one-line
 * `error:` naming the file and what is wrong, exit status 1, and no output file (not even a
 * partial one) is left behind. Runs bin/onebit.js, so the package must be built first (turbo's
 * test task depends on build).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '@onebit/data';

const BIN = fileURLToPath(new URL('../bin/onebit.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ONEBIT_OFFLINE: '1' } });

const matlab = new Uint8Array(readFileSync(sharedPath('models/mcdonnell-wrn20-10-cifar10/matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat')));

describe('onebit convert on broken inputs', () => {
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['a truncated MAT file', matlab.subarray(0, 200_000), /^error: MAT: compressed variable "BinaryWeights" at byte 989 needs 4026259 bytes but only 199011 remain \(file truncated\?\)\.$/],
    ['random bytes', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) & 0xff), /^error: model\.mat \(4096 bytes, starting 0d fc eb da c9 b8 a7 96\) is not a format onebit reads: expected ONNX, a PyTorch checkpoint, safetensors, a MATLAB \.mat or a \.onebit container\.$/],
    ['a Git LFS pointer', new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 3479965\n'), /^error: model\.mat is a Git LFS pointer to a 3479965-byte object, not the model itself; run `git lfs pull` or download the real file\.$/],
    ['an HTML page', new TextEncoder().encode('<!doctype html><html><head><title>404</title></head></html>'), /^error: model\.mat is an HTML page \(59 bytes\), probably an error or login page saved instead of the download\.$/],
    ['a MAT file of another kind', matFileOtherKind(), /^error: model\.mat is a MAT file but not one of the authors' releases: it has variables x, and neither BinaryWeights\/Moments \(MATLAB\) nor conv2d\*\/batch_normalization\* \(Keras\), nor BooleanSingleBitWeights \(the plain net\)\.$/],
  ];
  it.each(cases)('%s: one-line typed error, exit 1, no output left', (_, bytes, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'onebit-cli-'));
    writeFileSync(join(dir, 'model.mat'), bytes);
    const r = run('convert', join(dir, 'model.mat'), '-o', join(dir, 'out.onnx'));
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(readdirSync(dir)).toEqual(['model.mat']);
  });

  it('names a missing input file', () => {
    const r = run('convert', '/nonexistent/model.mat', '-o', '/tmp/x.onnx');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('error: The input file /nonexistent/model.mat does not exist.');
  });

  it('treats a bad flag value as a usage error (exit 2)', () => {
    const r = run('convert', '/nonexistent/model.mat', '-o', '/tmp/x.onnx', '--weights', 'half');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("error: --weights must be 'packed' or 'float', not 'half'.");
  });
});

/** A small valid level-5 MAT file with one uncompressed double scalar `x` = 1.5, byte by byte. */
function matFileOtherKind(): Uint8Array {
  const header = new Uint8Array(128).fill(0x20);
  header.set(new TextEncoder().encode('MATLAB 5.0 MAT-file, written by the onebit tests'));
  header.set([0x00, 0x01, 0x49, 0x4d], 124); // version 0x0100, 'IM' (little-endian)
  const body = new DataView(new ArrayBuffer(8 + 48 + 8));
  let o = 0;
  const u32 = (v: number) => { body.setUint32(o, v, true); o += 4; };
  u32(14); u32(48 + 8); // miMATRIX, 56 bytes
  u32(6); u32(8); u32(6); u32(0); // array flags: class double
  u32(5); u32(8); u32(1); u32(1); // dims 1×1
  body.setUint32(o, (1 << 16) | 1, true); o += 4; // small element: miINT8 name, 1 byte
  body.setUint8(o, 0x78); o += 4; // 'x' + padding
  u32(9); u32(8); // miDOUBLE, 8 bytes
  body.setFloat64(o, 1.5, true);
  const out = new Uint8Array(128 + body.byteLength);
  out.set(header);
  out.set(new Uint8Array(body.buffer), 128);
  return out;
}

describe('usage errors exit 2 (UsageError, commander parse errors)', () => {
  const cases: Array<[string, string[], string]> = [
    ['an unknown flag', ['--bogus'], "error: unknown option '--bogus'"],
    ['an unknown command', ['frobnicate'], "error: unknown command 'frobnicate'"],
    ['a missing -o', ['convert', 'x.mat'], "error: required option '-o, --output <file>' not specified"],
    ['-o without its value', ['convert', 'x.mat', '-o'], "error: option '-o, --output <file>' argument missing"],
    ['a missing argument', ['inspect'], "error: missing required argument 'file'"],
    ['--exact without --sizes', ['inspect', 'x.mat', '--exact'], 'error: --exact applies to --sizes only; add --sizes or drop --exact.'],
  ];
  it.each(cases)('BAD CALL: %s', (_, args, first) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(first);
  });

  it('--version and --help exit 0', () => {
    expect(run('--version').status).toBe(0);
    expect(run('--help').status).toBe(0);
  });
});

describe('how the CLI ends on each kind of error (core classifyFailure)', () => {
  const INJECT = fileURLToPath(new URL('./inject-failure.fixture.mjs', import.meta.url));
  const injected = (kind: string, ...args: string[]) => {
    const cwd = mkdtempSync(join(tmpdir(), 'onebit-cli-'));
    writeFileSync(join(cwd, 'injected.onnx'), new Uint8Array(16));
    return spawnSync(process.execPath, ['--import', INJECT, BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ONEBIT_OFFLINE: '1', ONEBIT_INJECT: kind } });
  };

  it("BAD CALL: an option a package checks (validate's --shard, parsed in @onebit/validate) is a UsageError: exit 2, one sentence", () => {
    const model = fileURLToPath(new URL('../../../packages/validate/test-data/mean-rgb.onnx', import.meta.url));
    const r = run('validate', model, '--data', sharedPath('datasets/cifar10/test_batch_0-999.bin'), '--shard', '5/4', '--preprocess', 'raw255');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("error: --shard must be i/n with 1 ≤ i ≤ n, got '5/4'.");
  });

  it('a typed data error: exit 1, its one sentence, no stack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onebit-cli-'));
    writeFileSync(join(dir, 'empty.onnx'), new Uint8Array(0));
    const r = run('inspect', join(dir, 'empty.onnx'));
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: .*empty\.onnx/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('any other error (a bare RangeError from an internal check) is a bug: exit 1, one sentence asking for a report, the stack only with --verbose', () => {
    const r = injected('range', 'inspect', 'injected.onnx');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('error: RangeError: rowLayout: dimension -1 in [2, -1] is not a non-negative integer. This is a bug in onebit, please report it (run with --verbose for the stack trace).\n');
    const verbose = injected('range', '--verbose', 'inspect', 'injected.onnx');
    expect(verbose.status).toBe(1);
    const lines = verbose.stderr.trim().split('\n');
    expect(lines[0]).toBe(r.stderr.trim());
    expect(lines[1]).toBe('RangeError: rowLayout: dimension -1 in [2, -1] is not a non-negative integer.');
    expect(lines[2]).toMatch(/^\s+at .*inject-failure\.fixture\.mjs/);
  });

  it("V8's own allocation failure: exit 1 (not a usage error), says the input is too big and how to split it", () => {
    const r = injected('allocation', 'inspect', 'injected.onnx');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('error: Array buffer allocation failed: the input needs more memory or stack than this process has; validate it in parts with --shard i/n or a smaller --batch-size.\n');
  });
});

describe('file names in messages are quoted as typed', () => {
  it('EXPECTED FAILURE: notes.txt stays notes.txt (no capital N)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onebit-cli-'));
    writeFileSync(join(dir, 'notes.txt'), 'shopping list: milk, eggs, bread and a wide residual network\n');
    const r = spawnSync(process.execPath, [BIN, 'convert', 'notes.txt', '-o', 'out.onnx'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ONEBIT_OFFLINE: '1' } });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^error: notes\.txt \(61 bytes, starting 73 68 6f 70 70 69 6e 67\) is not a format onebit reads/);
  });
});

describe('options are checked before anything is written; --limit beyond the data is reported', () => {
  it('BAD CALL: demo --limit 0 exits 2 and writes no model', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'onebit-cli-')), 'out');
    const r = run('demo', '--limit', '0', '--out', dir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("error: --limit must be a positive integer, not '0'.");
    expect(r.stdout).toBe('');
    expect(existsSync(dir)).toBe(false);
  });

  it('validate --limit 2000 on the 1000 shared CIFAR-10 images says it validates all 1000', () => {
    const model = fileURLToPath(new URL('../../../packages/validate/test-data/mean-rgb.onnx', import.meta.url));
    const r = run('validate', model, '--data', sharedPath('datasets/cifar10/test_batch_0-999.bin'), '--limit', '2000', '--preprocess', 'raw255');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('note: --limit 2000 is more than the 1000 images in test_batch_0-999.bin; validating all 1000.');
    expect(r.stdout).toMatch(/images +1000/);
  });
});

describe('output extensions', () => {
  it('BAD CALL: -o x.txt is refused (exit 2) instead of writing ONNX into a .txt', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onebit-cli-'));
    const r = run('convert', sharedPath('models/mcdonnell-wrn20-10-cifar10/matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat'), '-o', join(dir, 'x.txt'));
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`error: -o ${join(dir, 'x.txt')} must end in .onnx (an ONNX model) or .onebit (the bit-packed container): the extension says which format is written.`);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('validate takes a .onebit container', () => {
  it('converts it in memory and validates it like the ONNX model (20 images, reference agreement 20/20)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onebit-cli-'));
    const container = join(dir, 'wrn.onebit');
    expect(run('convert', sharedPath('models/mcdonnell-wrn20-10-cifar10/matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat'), '-o', container).status).toBe(0);
    const r = run('validate', container, '--data', sharedPath('datasets/cifar10/test_batch_0-999.bin'), '--limit', '20', '--reference', sharedPath('reference/mcdonnell-wrn20-10-matlab_cifar10-test-0-999_logits.npy'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/top-1 agreement 100\.00 % \(20\/20\)/);
  });
});

describe('validate --data on a folder with no images', () => {
  it('EXPECTED FAILURE: says the folder holds no images and which extensions it looked for (exit 1), not that labels.csv is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onebit-cli-'));
    writeFileSync(join(dir, 'notes.txt'), 'not an image\n');
    const model = fileURLToPath(new URL('../../../packages/validate/test-data/mean-rgb.onnx', import.meta.url));
    const r = run('validate', model, '--data', dir, '--preprocess', 'raw255');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(`error: image folder: ${dir} holds no images (no .jpg, .jpeg or .png (any case) files); pass a folder of labelled JPEG/PNG images, a CIFAR binary batch or an MNIST IDX images file.`);
    // A relative --data is quoted as typed.
    const typed = spawnSync(process.execPath, [BIN, 'validate', model, '--data', basename(dir), '--preprocess', 'raw255'], { cwd: tmpdir(), encoding: 'utf8', env: { ...process.env, ONEBIT_OFFLINE: '1' } });
    expect(typed.status).toBe(1);
    expect(typed.stderr.trim()).toBe(`error: image folder: ${basename(dir)} holds no images (no .jpg, .jpeg or .png (any case) files); pass a folder of labelled JPEG/PNG images, a CIFAR binary batch or an MNIST IDX images file.`);
  });
});

describe('--verbose', () => {
  it('adds the stack trace below the one-sentence error (either side of the command); without it the error is one line', () => {
    const quiet = run('convert', '/nonexistent/model.mat', '-o', '/tmp/x.onnx');
    expect(quiet.stderr.trim().split('\n')).toEqual(['error: The input file /nonexistent/model.mat does not exist.']);
    for (const args of [['--verbose', 'convert', '/nonexistent/model.mat', '-o', '/tmp/x.onnx'], ['convert', '/nonexistent/model.mat', '-o', '/tmp/x.onnx', '--verbose']]) {
      const r = run(...args);
      expect(r.status).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines.slice(0, 2)).toEqual(['error: The input file /nonexistent/model.mat does not exist.', 'InputFileError: The input file /nonexistent/model.mat does not exist.']);
      expect(lines[2]).toMatch(/^ {4}at readInput \(.*read-input\.js:\d+:\d+\)$/);
    }
  });
});
