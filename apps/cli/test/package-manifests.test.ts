/**
 * What every publishable package promises in its package.json, checked together so they cannot
 * drift: the MIT license of the repository's LICENSE, shipped as a LICENSE file in each package (npm
 * packs a package's own LICENSE, never the root's), one repository URL with the package's own
 * directory, the root's Node engine range, types for every export, and one Changesets fixed group
 * holding exactly the publishable packages, with a config the installed @changesets/cli's reader accepts
 * (offline).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { publishableWorkspaces } from './install-project.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const workspaces = publishableWorkspaces(root);
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

describe('publishable package manifests', () => {
  it('are MIT like LICENSE, and each ships a LICENSE identical to the root one', () => {
    const license = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(license.split('\n')[0]).toBe('MIT License');
    for (const { dir, pkg } of workspaces) {
      expect(pkg.license, pkg.name).toBe('MIT');
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8'), `${pkg.name}/LICENSE`).toBe(license);
    }
  });

  it('name one repository, each with its own directory, and the root Node engine range', () => {
    const engines = manifest(root).engines;
    const urls = new Set<string>();
    for (const { dir, pkg } of workspaces) {
      const m = manifest(dir);
      expect(m.repository.type, pkg.name).toBe('git');
      expect(m.repository.directory, pkg.name).toBe(relative(root, dir));
      urls.add(m.repository.url);
      expect(m.engines, pkg.name).toEqual(engines);
      expect(m.files, pkg.name).toContain('dist');
      // Every export (and every condition of it) names its types beside its code.
      const leaves = (e: unknown): Array<Record<string, unknown>> =>
        typeof e !== 'object' || e === null ? [] : 'default' in e && typeof (e as { default: unknown }).default === 'string' ? [e as Record<string, unknown>] : Object.values(e).flatMap(leaves);
      for (const leaf of leaves(m.exports ?? {})) expect(typeof leaf['types'], `${pkg.name} export ${JSON.stringify(leaf)}`).toBe('string');
      expect(leaves(m.exports ?? {}).length + Object.keys(m.bin ?? {}).length, `${pkg.name} exports or bin`).toBeGreaterThan(0);
      expect(m.sideEffects, pkg.name).toBeDefined();
    }
    expect([...urls]).toEqual(['git+https://github.com/onebit-dev/onebit.git']);
  });

  it('version together: one Changesets fixed group of exactly the publishable packages, a config the installed changeset reads', async () => {
    const config = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8'));
    expect(config.fixed).toHaveLength(1);
    expect([...config.fixed[0]].sort()).toEqual(workspaces.map((w) => w.pkg.name).sort());
    // The config reader of the installed @changesets/cli (what `changeset status`/`version` run first), offline.
    const fromCli = createRequire(createRequire(join(root, 'package.json')).resolve('@changesets/cli/package.json'));
    const { read } = fromCli('@changesets/config') as { read: (cwd: string) => Promise<{ fixed: string[][]; access: string }> };
    const parsed = await read(root);
    expect(parsed.fixed).toEqual(config.fixed);
    expect(parsed.access).toBe('public');
  });
});
