/**
 * Builds a fresh npm project outside the workspace that installs onebit's packed tarballs the way a
 * user's project would, with a package-lock.json pinned to the repository's own lockfile. The lock
 * carries each third-party package's registry URL and integrity, so `npm ci --offline` takes every
 * tarball from the npm cache that the repository's `npm ci` filled: the test never uses the network.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One entry of a lockfileVersion 3 `packages` map (only the fields this module reads or writes). */
interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  engines?: Record<string, string>;
  license?: string;
}

/** The workspace packages that are published (not `private`), read from the root's workspace folders. */
export function publishableWorkspaces(root: string): Array<{ dir: string; pkg: PackageJson }> {
  const out: Array<{ dir: string; pkg: PackageJson }> = [];
  for (const parent of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, parent)).sort()) {
      let pkg: PackageJson;
      try {
        pkg = JSON.parse(readFileSync(join(root, parent, name, 'package.json'), 'utf8')) as PackageJson;
      } catch {
        continue; // not a package folder
      }
      if (!pkg.private) out.push({ dir: join(root, parent, name), pkg });
    }
  }
  return out;
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command` with `args` in `cwd` without blocking the event loop (vitest's worker must keep answering). */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs npm with `args` in `cwd`; throws with npm's output when it fails. */
export async function npm(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const r = await run('npm', args, cwd, env);
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** `npm pack`s every publishable workspace into `dest`; returns package name → tarball file name. */
export async function packWorkspaces(root: string, dest: string): Promise<Map<string, string>> {
  mkdirSync(dest, { recursive: true });
  const names = publishableWorkspaces(root).map((w) => w.pkg.name);
  const packed = JSON.parse(await npm(root, ['pack', '--json', '--pack-destination', dest, ...names.flatMap((n) => ['-w', n])])) as Array<{ name: string; filename: string }>;
  return new Map(packed.map((p) => [p.name, p.filename]));
}

/** The registry tarball URL npm writes for `name@version` (scoped names keep their scope in the path only). */
function registryUrl(name: string, version: string): string {
  return `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`;
}

/**
 * Writes package.json and package-lock.json into `dir` for a project depending on `extra`
 * third-party packages (name → version, as locked in the repository) and on every tarball in
 * `tarballs` (relative to `dir`). Third-party packages are placed exactly where the repository's lock
 * places them, walking only what the tarballs and `extra` need (node_modules lookup: nested first).
 */
export function writeInstallProject(root: string, dir: string, tarballDir: string, tarballs: Map<string, string>, extra: readonly string[]): void {
  const repoLock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const workspaces = new Map(publishableWorkspaces(root).map((w) => [w.pkg.name, w.pkg]));
  const lock: Record<string, LockEntry> = {};
  const rootDeps: Record<string, string> = {};
  const pending: Array<[string, string]> = []; // [requiring lock path, dependency name]

  for (const [name, file] of tarballs) {
    const pkg = workspaces.get(name)!;
    const spec = `file:${tarballDir}/${file}`;
    rootDeps[name] = spec;
    lock[`node_modules/${name}`] = {
      version: pkg.version,
      resolved: spec,
      license: pkg.license,
      dependencies: pkg.dependencies,
      peerDependencies: pkg.peerDependencies,
      peerDependenciesMeta: pkg.peerDependenciesMeta,
      bin: pkg.bin,
      engines: pkg.engines,
    };
    for (const dep of Object.keys(pkg.dependencies ?? {})) pending.push([`node_modules/${name}`, dep]);
  }
  for (const name of extra) {
    const entry = repoLock.packages[`node_modules/${name}`];
    if (!entry?.version) throw new Error(`${name} is not in the repository's lockfile.`);
    rootDeps[name] = entry.version;
    pending.push(['', name]);
  }

  while (pending.length > 0) {
    const [from, name] = pending.pop()!;
    if (tarballs.has(name)) continue;
    // node_modules resolution: <from>/node_modules/<name>, then each ancestor's, then the top level.
    let path: string | undefined;
    for (let base = from; ; base = base.includes('/node_modules/') ? base.slice(0, base.lastIndexOf('/node_modules/')) : '') {
      const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
      if (repoLock.packages[candidate] && !repoLock.packages[candidate]!.link) {
        path = candidate;
        break;
      }
      if (!base) break;
    }
    if (!path) throw new Error(`${name} (needed by ${from || 'the project'}) is not in the repository's lockfile.`);
    if (lock[path]) continue;
    const entry = { ...repoLock.packages[path]! };
    entry.resolved ??= registryUrl(name, entry.version!);
    lock[path] = entry;
    for (const dep of [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {})]) pending.push([path, dep]);
  }

  const manifest = { name: 'onebit-install-check', version: '1.0.0', private: true, type: 'module', dependencies: rootDeps };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest, allowScripts: { 'onnxruntime-node': false, protobufjs: false } }, null, 2));
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({ name: manifest.name, version: manifest.version, lockfileVersion: 3, requires: true, packages: { '': { name: manifest.name, version: manifest.version, dependencies: rootDeps }, ...lock } }, null, 2),
  );
}
