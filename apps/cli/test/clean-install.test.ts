/**
 * A clean install, as a user's project gets onebit: every publishable package is packed with
 * `npm pack`, the tarballs are installed into a new project outside the workspace (`npm ci
 * --offline`, pinned to the repository's lockfile, so only the npm cache that the repository's
 * `npm ci` filled is used: no network), and there the README's "Install" commands run as written
 * (its `npm i -D onebit` replaced by the tarballs: nothing is published) on the authors' WRN and
 * CIFAR-10 images 0–19, then the README's Node example classifies CIFAR-10 test image 0 by name; a
 * browser app installing only @onebit/runtime bundles the README's browser example with Vite and, run
 * in Chromium, names the same image.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedPath } from '@onebit/data';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { npm, packWorkspaces, publishableWorkspaces, run, type RunResult, writeInstallProject } from './install-project.js';
import { cifarPng } from './cifar-png.js';
import { runBuiltPage } from './built-page.js';
import { blockStartingWith, shellCommands } from './readme-blocks.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const readme = join(root, 'README.md');
const WRN_MAT = 'models/mcdonnell-wrn20-10-cifar10/matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat';
const project = mkdtempSync(join(tmpdir(), 'onebit-clean-install-'));

/** The environment of a user's shell: no npm_* variables leaking from the `npm test` that runs us. */
const userEnv: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') || k === 'npm_config_cache')),
  ONEBIT_OFFLINE: '1',
  ONNXRUNTIME_NODE_INSTALL: 'skip', // npm < 11.19 would otherwise run its CUDA download
  npm_config_offline: 'true',
  PATH: `${join(project, 'node_modules', '.bin')}${delimiter}${process.env['PATH']}`,
};

const sh = (command: string): Promise<RunResult> => run('sh', ['-c', command], project, userEnv);
let tarballs = new Map<string, string>();

describe('clean install from npm pack tarballs (offline, outside the workspace)', () => {
  beforeAll(async () => {
    tarballs = await packWorkspaces(root, join(project, 'tarballs'));
    writeInstallProject(root, project, 'tarballs', tarballs, ['onnxruntime-node', 'sharp']);
    await npm(project, ['ci', '--offline', '--no-audit', '--no-fund'], userEnv);
    // The README's file names, pointing at the shared data (never copied).
    symlinkSync(sharedPath(WRN_MAT), join(project, 'TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat'));
    symlinkSync(sharedPath('datasets/cifar10/test_batch_0-999.bin'), join(project, 'test_batch_0-999.bin'));
    symlinkSync(sharedPath('reference/mcdonnell-wrn20-10-matlab_cifar10-test-0-999_logits.npy'), join(project, 'mcdonnell-wrn20-10-matlab_cifar10-test-0-999_logits.npy'));
  });

  it('packs every publishable package, the CLI with its compiled dist', async () => {
    const names = publishableWorkspaces(root).map((w) => w.pkg.name);
    expect([...tarballs.keys()].sort()).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['onebit', '@onebit/runtime', '@onebit/convert', '@onebit/validate']));
    const listing = await sh(`tar -tzf tarballs/${tarballs.get('onebit')}`);
    expect(listing.stdout.split('\n')).toEqual(expect.arrayContaining(['package/bin/onebit.js', 'package/dist/main.js', 'package/package.json', 'package/LICENSE']));
  });

  it("the README's Install commands run as written (npm i replaced by the tarballs)", async () => {
    const commands = shellCommands(blockStartingWith(readme, 'npm i -D onebit'));
    expect(commands[0]).toBe('npm i -D onebit');
    const results: RunResult[] = [];
    for (const command of commands.slice(1)) results.push(await sh(command));
    const [version, convert, validate] = results;
    expect(results).toHaveLength(3);
    expect(version).toMatchObject({ status: 0, stdout: `${JSON.parse(readFileSync(join(root, 'apps/cli/package.json'), 'utf8')).version}\n` });
    expect(convert!.status, convert!.stderr).toBe(0);
    expect(convert!.stdout).toMatch(/26,737,120 binary weights/);
    expect(validate!.status, validate!.stderr).toBe(0);
    expect(validate!.stdout).toMatch(/top-1 agreement 100\.00 % \(20\/20\)/);
  });

  it("the README's Node example imports @onebit/runtime and names CIFAR-10 test image 0 'cat'", async () => {
    expect(await cifarPng(0, join(project, 'cat.png'))).toBe(3); // the label byte: 3 = cat
    writeFileSync(join(project, 'classify.mjs'), blockStartingWith(readme, '// classify.mjs').text);
    const r = await sh('node classify.mjs');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^cat 1\.000\n$/);
  });
});

describe('a browser app importing only @onebit/runtime, built with Vite (offline)', () => {
  const app = mkdtempSync(join(tmpdir(), 'onebit-browser-app-'));
  const appEnv = { ...userEnv, PATH: `${join(app, 'node_modules', '.bin')}${delimiter}${process.env['PATH']}` };

  beforeAll(async () => {
    if (tarballs.size === 0) tarballs = await packWorkspaces(root, join(project, 'tarballs'));
    mkdirSync(join(app, 'tarballs'));
    // @onebit/runtime and the @onebit packages it depends on (not its optional peers).
    const manifests = new Map(publishableWorkspaces(root).map((w) => [w.pkg.name, w.pkg]));
    const needed = new Set(['@onebit/runtime']);
    for (const name of needed) for (const dep of Object.keys(manifests.get(name)?.dependencies ?? {})) if (tarballs.has(dep)) needed.add(dep);
    const mine = new Map([...tarballs].filter(([name]) => needed.has(name)));
    for (const file of mine.values()) copyFileSync(join(project, 'tarballs', file), join(app, 'tarballs', file));
    writeInstallProject(root, app, 'tarballs', mine, ['onnxruntime-web', 'vite']);
    await npm(app, ['ci', '--offline', '--no-audit', '--no-fund'], appEnv);
    writeFileSync(join(app, 'index.html'), '<!doctype html><link rel="icon" href="data:,"><img src="cat.png" alt="a cat"><script type="module" src="./main.js"></script>\n');
    writeFileSync(join(app, 'main.js'), blockStartingWith(readme, '// main.js').text);
    // What the page fetches, where Vite copies static files from and where the block says: the WRN at
    // /models/wrn.onnx, onnxruntime-web's two files at /ort/, and the image (CIFAR-10 test image 0).
    mkdirSync(join(app, 'public', 'models'), { recursive: true });
    mkdirSync(join(app, 'public', 'ort'));
    const converted = await run(process.execPath, [join(root, 'apps', 'cli', 'bin', 'onebit.js'), 'convert', sharedPath(WRN_MAT), '-o', join(app, 'public', 'models', 'wrn.onnx')], app, appEnv);
    expect(converted.status, converted.stderr).toBe(0);
    for (const f of ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']) copyFileSync(join(app, 'node_modules', 'onnxruntime-web', 'dist', f), join(app, 'public', 'ort', f));
    expect(await cifarPng(0, join(app, 'public', 'cat.png'))).toBe(3);
  });

  it('installs no onnxruntime-node, sharp or @onebit/convert (optional peers)', () => {
    for (const name of ['onnxruntime-node', 'sharp', '@onebit/convert']) expect(existsSync(join(app, 'node_modules', name)), name).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'onnxruntime-web'))).toBe(true);
  });

  it("bundles the README's browser example without them", async () => {
    const r = await run('npx', ['vite', 'build', '--logLevel', 'warn'], app, appEnv);
    expect(r.status, r.stderr).toBe(0);
    const js = readdirSync(join(app, 'dist', 'assets')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(app, 'dist', 'assets', f), 'utf8')).join('\n');
    expect(js).toContain('automobile'); // CIFAR10_CLASSES made it in
    expect(js).not.toMatch(/onnxruntime-node|from"sharp"|from 'sharp'|require\("sharp"\)/);
    expect(js).not.toContain('readContainer'); // no converter code: a .onebit would need @onebit/convert installed
  });

  it("runs the README's browser example in Chromium: CIFAR-10 test image 0 is 'cat (100.0 %, softmax of the logits)'", async () => {
    const page = await runBuiltPage(app, false, () => / %, softmax of the logits\)$/.test(document.body.textContent ?? ''));
    expect(page.problems).toEqual([]);
    expect(page.text).toBe('cat (100.0 %, softmax of the logits)');
  });
});
