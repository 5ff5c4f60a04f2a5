/**
 * Zip entries whose names leave the archive (`../../evil.sh`, absolute paths, `archive/data/../../x`)
 * are never written anywhere: the torch zip reader inflates only the entries it needs, in memory.
 * Runs the readers from a working directory nested in a temporary tree and snapshots the tree.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat } from '@onebit/convert';
import { readTorch, sniffTorch } from '@onebit/pytorch';
import { PickleWriter, torchZipFile } from '../seeds/pickle-writer.js';

const base = mkdtempSync(join(tmpdir(), 'onebit-zip-entries-'));
const cwd = join(base, 'a', 'b');
mkdirSync(cwd, { recursive: true });
afterAll(() => rmSync(base, { recursive: true, force: true }));

function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      out.push(`${relative(dir, p)} ${statSync(p).mtimeMs}`);
      if (statSync(p).isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

describe('zip entries with escaping names', () => {
  it('are read in memory only; no file appears anywhere in the tree', () => {
    const evil = new TextEncoder().encode('#!/bin/sh\necho pwned\n');
    const zip = torchZipFile(new PickleWriter().proto(2).emptyDict().stop().bytes(), {
      '../../evil.sh': evil, '/tmp/onebit-absolute-evil.sh': evil, 'archive/data/../../../../evil2.sh': evil, '..\\..\\evil3.sh': evil,
    });
    const before = snapshot(base);
    const previous = process.cwd();
    process.chdir(cwd);
    try {
      const checkpoint = readTorch(zip);
      expect(checkpoint.format).toBe('torch-zip');
      expect(checkpoint.tensors.size).toBe(0);
      expect(sniffTorch(zip)).toBe('torch-zip');
      expect(detectFormat(zip)).toBe('torch-zip');
    } finally {
      process.chdir(previous);
    }
    expect(snapshot(base)).toEqual(before);
    expect(existsSync(join(base, 'evil.sh'))).toBe(false);
    expect(existsSync('/tmp/onebit-absolute-evil.sh')).toBe(false);
  });
});
