/**
 * Shared vitest configuration for every workspace package: resolves `@onebit/<name>` to the
 * package's TypeScript source so tests never depend on a prior build, and gives slow end-to-end
 * tests (real models on real data) room to run on a 2-core machine.
 */
import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const packagesDir = join(root, 'packages');
const alias = readdirSync(packagesDir)
  .filter((name) => existsSync(join(packagesDir, name, 'src', 'index.ts')))
  .map((name) => ({ find: new RegExp(`^@onebit/${name}$`), replacement: join(packagesDir, name, 'src', 'index.ts') }));

export default defineConfig({
  resolve: { alias },
  test: {
    // Tests never download: the data resolver refuses to fetch when ONEBIT_OFFLINE=1.
    env: { ONEBIT_OFFLINE: '1' },
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
