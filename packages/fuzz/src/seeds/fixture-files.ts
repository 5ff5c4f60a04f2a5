/**
 * Seed files read by path at run time: small fixtures committed under the repository's
 * test-fixtures/ and packages/*\/test-data/, and slices of the large shared datasets (the first
 * CIFAR records, the MNIST header with a few images). Nothing shared is ever copied into the
 * repository; a seed whose file is absent is skipped.
 */
import { existsSync, openSync, readFileSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedPath } from '@onebit/data';
import type { Seed } from '../mutation.js';

/** The repository root (this file is at packages/fuzz/{src,dist}/seeds/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Repository files (relative to the root) as seeds; missing ones are skipped. */
export function repoSeeds(paths: readonly string[]): Seed[] {
  return paths.filter((p) => existsSync(join(REPO_ROOT, p))).map((p) => ({ name: p, bytes: new Uint8Array(readFileSync(join(REPO_ROOT, p))) }));
}

/**
 * Small shared files (the reader cases of shared/cases/readers: other projects' test files) as
 * seeds, read whole at run time; absent ones are skipped.
 */
export function sharedSeeds(relatives: readonly string[]): Seed[] {
  return relatives.flatMap((relative) => {
    const bytes = sharedSlice(relative, 64 * 1024);
    return bytes ? [{ name: `shared/${relative}`, bytes }] : [];
  });
}

/** The first `length` bytes of a shared file, or undefined when the shared folder or file is absent. */
export function sharedSlice(relative: string, length: number): Uint8Array | undefined {
  let path: string;
  try {
    path = sharedPath(relative);
  } catch {
    return undefined;
  }
  if (!existsSync(path)) return undefined;
  const fd = openSync(path, 'r');
  try {
    const out = new Uint8Array(length);
    const got = readSync(fd, out, 0, length, 0);
    return out.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
