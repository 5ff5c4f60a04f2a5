/**
 * The reader-limit flags: parseByteSize's accepted spellings and refusals, and the built `onebit`
 * command on small real files over a lowered limit (exit 1, one line naming the flag) and under a
 * raised one (exit 0) — the plain 20-4 MAT release through convert and akamaster's ResNet-20
 * PyTorch checkpoint through inspect. Runs bin/onebit.js, so the package must be built first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { parseByteSize } from './reader-limit-flags.js';

const BIN = fileURLToPath(new URL('../bin/onebit.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ONEBIT_OFFLINE: '1' } });
const PLAIN_MAT = sharedPath('models/mcdonnell-plain20-4-cifar100/CIFAR100_20-4-Plain_644kB.mat');
const RESNET20_TH = sharedPath('models/akamaster-resnet20-cifar10/resnet20-12fca82f.th');
const dir = mkdtempSync(join(tmpdir(), 'onebit-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseByteSize', () => {
  it('reads whole bytes and IEC/SI suffixes', () => {
    expect(parseByteSize('1073741824', '--max-tensor-bytes')).toBe(1073741824);
    expect(parseByteSize('2GiB', '--max-tensor-bytes')).toBe(2147483648);
    expect(parseByteSize('512 mib', '--max-tensor-bytes')).toBe(536870912);
    expect(parseByteSize('64KiB', '--max-tensor-bytes')).toBe(65536);
    expect(parseByteSize('1.5GB', '--max-tensor-bytes')).toBe(1.5e9);
    expect(parseByteSize('3TiB', '--max-tensor-bytes')).toBe(3 * 1024 ** 4);
    expect(parseByteSize('0.5KiB', '--max-tensor-bytes')).toBe(512);
  });

  it.each(['0', '-1', '2x', '1.5', 'GiB', '', '1e9', '0.3KiB', '99999999999TiB'])('refuses %j with a UsageError naming the flag', (value) => {
    expect(() => parseByteSize(value, '--max-inflated-bytes')).toThrow(
      new UsageError(`--max-inflated-bytes must be a positive whole number of bytes, optionally with a suffix such as 512MiB or 2GiB, not '${value}'.`),
    );
  });
});

describe('onebit convert/inspect with --max-tensor-bytes and --max-inflated-bytes', () => {
  it('MAT: refused under 64KiB of tensors with the flag named (exit 1, nothing written), converted with 64MiB', () => {
    const out = join(dir, 'plain.onnx');
    const r = run('convert', PLAIN_MAT, '-o', out, '--max-tensor-bytes', '64KiB');
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(/^error: MAT .*would take 36864 bytes, beyond the 18128 bytes left of the 65536-byte limit \(maxTensorBytes\); pass a larger maxTensorBytes option to the reader \(--max-tensor-bytes on the command line\) if the file is trusted\.$/);
    expect(existsSync(out)).toBe(false);
    const ok = run('convert', PLAIN_MAT, '-o', out, '--max-tensor-bytes', '64MiB', '--max-inflated-bytes', '64MiB', '--quiet');
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(existsSync(out)).toBe(true);
  });

  it('MAT: refused under 64KiB of inflated data, naming --max-inflated-bytes', () => {
    const r = run('convert', PLAIN_MAT, '-o', join(dir, 'x.onnx'), '--max-inflated-bytes', '65536');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      'error: MAT: compressed variable "BooleanSingleBitWeights" at byte 21916 inflates past the 65536-byte limit (maxInflatedBytes) on top of the 49408 bytes earlier compressed variables inflated to; pass a larger maxInflatedBytes option to the reader (--max-inflated-bytes on the command line) if the file is trusted.',
    );
  });

  it('PyTorch: inspect refuses the ResNet-20 checkpoint under 64KiB of tensors, reads it with 64MiB', () => {
    const r = run('inspect', RESNET20_TH, '--max-tensor-bytes', '64KiB');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      "error: torch-legacy: tensor 'state_dict.module.layer2.0.conv1.weight' of shape 32×16×3×3 (float32) would take 18432 bytes, beyond the 6720 bytes left of the 65536-byte limit (maxTensorBytes); pass a larger maxTensorBytes option to the reader (--max-tensor-bytes on the command line) if the file is trusted.",
    );
    const ok = run('inspect', RESNET20_TH, '--max-tensor-bytes', '64MiB');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("state_dict   under 'state_dict'");
  });

  it('a bad value is a usage error: exit 2, one sentence', () => {
    const r = run('inspect', RESNET20_TH, '--max-tensor-bytes', '2XB');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("error: --max-tensor-bytes must be a positive whole number of bytes, optionally with a suffix such as 512MiB or 2GiB, not '2XB'.");
  });
});
