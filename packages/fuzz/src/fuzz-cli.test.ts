/**
 * The fuzz CLI's flags (the built dist/fuzz-cli.js; tests run after `npm run build`): --help prints
 * the usage with the target names and exits 0; a bad flag or target is one sentence on stderr and
 * exit 2, without a stack trace; a tiny campaign runs and prints its table.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/fuzz-cli.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('fuzz-cli flags', () => {
  it('--help prints the usage and the targets', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run fuzz/);
    expect(r.stdout).toContain('targets: ');
    expect(r.stdout).toContain('engine');
  });

  it.each([
    [['--bogus'], "onebit fuzz: unknown flag '--bogus'; use --cases N, --seed S, --target NAME, --save-failures DIR, --watchdog-ms MS (--help lists the targets).\n"],
    [['--cases', '-1'], 'onebit fuzz: --cases must be a non-negative integer, not -1.\n'],
    [['--seed'], 'onebit fuzz: --seed needs a value.\n'],
  ])('%j is one sentence and exit 2', (args, stderr) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(stderr);
    expect(r.stdout).toBe('');
  });

  it('an unknown target names the known ones', () => {
    const r = run('--target', 'nope');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^onebit fuzz: unknown fuzz target 'nope'; known targets: .*engine.*\.\n$/);
  });

  it('runs a tiny campaign', () => {
    const r = run('--target', 'npy', '--cases', '5');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('| npy ');
  }, 60_000);
});
