/**
 * Locates the read-only `shared/` folder of real data and models that sits beside the repository
 * (`../shared` from the repo root), or wherever `ONEBIT_SHARED` points.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared folder, or undefined when neither ONEBIT_SHARED nor a `shared/` beside the repo exists. */
export function findSharedDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env['ONEBIT_SHARED']) return resolve(env['ONEBIT_SHARED']);
  // Walk up from this file and from the working directory looking for a sibling `shared/README.md`.
  for (const start of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    let dir = start;
    for (;;) {
      const candidate = join(dir, '..', 'shared');
      if (existsSync(join(candidate, 'README.md')) && existsSync(join(candidate, 'models'))) return resolve(candidate);
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

/** Absolute path of `relative` inside the shared folder; throws if the folder cannot be found. */
export function sharedPath(relative: string): string {
  const dir = findSharedDir();
  if (!dir) throw new Error(`The shared data folder was not found: set ONEBIT_SHARED or place it beside the repository (looking for ${relative}).`);
  return join(dir, relative);
}
