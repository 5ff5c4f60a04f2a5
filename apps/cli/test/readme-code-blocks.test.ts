/**
 * Every fenced code block of the README is run by a test, so none can go stale: this file checks that
 * each block is claimed by the test file that runs it (RUN_BY, which must name the block's first line)
 * or carries a `<!-- readme-test: not run: <reason> -->` note on the line above its fence, and runs
 * the blocks no other file runs: the demo's printed output and the `inspect --sizes` table, compared
 * line by line with what the commands print (only the parts named in VOLATILE may differ); the
 * "Deploy" Node example, compiled from TypeScript and run on CIFAR-10 test image 0 with its result
 * compared with the README's comment; and the web-worker example, type-checked strictly against the
 * packages' browser types, bundled with Vite, served by `vite preview` with the converted WRN (and
 * onnxruntime-web's wasm where its wasmPaths says), and run in headless Chromium (Debian's, through
 * playwright-core) on CIFAR-10 test image 0, its first result compared with the Node example's.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inspect } from 'node:util';
import { fileURLToPath } from 'node:url';
import { findSharedDir, sharedPath } from '@onebit/data';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { runBuiltPage } from './built-page.js';
import { cifarPng } from './cifar-png.js';
import { run } from './install-project.js';
import { blockStartingWith, codeBlocks, type CodeBlock } from './readme-blocks.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const readme = join(root, 'README.md');
const BIN = fileURLToPath(new URL('../bin/onebit.js', import.meta.url));
const WRN_MAT = 'TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat';
const wrnMat = () => sharedPath(`models/mcdonnell-wrn20-10-cifar10/matlab/${WRN_MAT}`);

/** Which test file runs a block, by the text the block starts with; that file must contain the text. */
const RUN_BY: ReadonlyArray<{ start: string; file: string }> = [
  { start: 'npm i -D onebit', file: 'apps/cli/test/clean-install.test.ts' },
  { start: '// classify.mjs', file: 'apps/cli/test/clean-install.test.ts' },
  { start: '// main.js', file: 'apps/cli/test/clean-install.test.ts' },
  { start: 'onebit inspect resnet20-12fca82f.th', file: 'apps/cli/test/readme-shell-blocks.test.ts' },
  { start: 'onebit inspect checkpoint.pth.tar', file: 'apps/cli/test/readme-shell-blocks.test.ts' },
  { start: `onebit convert ${WRN_MAT} -o wrn.onebit`, file: 'apps/cli/test/readme-shell-blocks.test.ts' },
  { start: 'model        …/shared/models/', file: 'apps/cli/test/readme-code-blocks.test.ts' },
  { start: `${WRN_MAT}: mcdonnell-matlab-wrn`, file: 'apps/cli/test/readme-code-blocks.test.ts' },
  { start: '// Node (onnxruntime-node)', file: 'apps/cli/test/readme-code-blocks.test.ts' },
  { start: '// Web page (onnxruntime-web', file: 'apps/cli/test/readme-code-blocks.test.ts' },
];

/**
 * The only parts of a printed output allowed to differ from the README's copy, each replaced by its
 * name on both sides before comparing: where the shared folder is (the README writes `…/shared`),
 * timings and throughput, and the demo's max |Δlogit| against the reference: onnxruntime's float
 * kernels round differently with the CPU's SIMD width (2.90e-4 on an AVX2 host, 2.44e-4 on an
 * AVX-512 one); the demo test checks it is within 1e-3 × max |logit| instead (and compares the
 * 1000/1000 agreement and `result OK` line as printed).
 */
const VOLATILE: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: '<shared folder>/', pattern: new RegExp(`(?:…/shared|${(findSharedDir() ?? '…/shared').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})/`, 'g') },
  { name: 'in <conversion time> s', pattern: /(?<=^converted +)in [\d.]+ s/gm },
  { name: 'session created in <session time> ms', pattern: /session created in \d+ ms/g },
  { name: '<throughput>', pattern: /(?<=^throughput +)[\d.]+ images\/s \(batch \d+, \d+ ms per batch\)/gm },
  { name: '<max |Δlogit|, CPU-dependent>', pattern: /(?<=^reference +top-1 agreement .*max \|Δlogit\| )\d+(?:\.\d+)?e[-+]?\d+/gm },
];
const normalise = (text: string): string => VOLATILE.reduce((out, { name, pattern }) => out.replace(pattern, name), text);

const inWorkspace: string[] = [];
/** A fresh folder inside the workspace (so `@onebit/*` resolve to the built packages), outside git's view; removed after the tests. */
function workspaceTemp(prefix: string): string {
  const parent = join(root, 'node_modules', '.cache');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, prefix));
  inWorkspace.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of inWorkspace) rmSync(dir, { recursive: true, force: true });
});

const env = { ...process.env, ONEBIT_OFFLINE: '1' };

let converted: Promise<string> | undefined;
/** The authors' WRN converted once to ONNX by the CLI (shared by the Node and browser examples); its path. */
function convertedWrn(): Promise<string> {
  converted ??= (async () => {
    const dir = workspaceTemp('onebit-readme-wrn-');
    const r = await run(process.execPath, [BIN, 'convert', wrnMat(), '-o', join(dir, 'wrn.onnx')], dir, env);
    expect(r.status, r.stderr).toBe(0);
    return join(dir, 'wrn.onnx');
  })();
  return converted;
}

/** The Node example's first result as its comment shows it, e.g. `{ index: 3, label: 'cat', probability: 1 }`. */
function nodeExamplePromise(): string {
  const promised = /\/\/ → \[(\{[^}]*\}), …\]/.exec(blockStartingWith(readme, '// Node (onnxruntime-node)').text)?.[1];
  expect(promised, 'the block shows its first result as `// → [{ … }, …]`').toBeDefined();
  return promised!;
}

describe("the README's code blocks", () => {
  it('are each run by the test file RUN_BY names, or say above the fence why they are not', () => {
    const blocks = codeBlocks(readme);
    const where = (b: CodeBlock) => `README.md:${b.line}: ${b.text.split('\n')[0]}`;
    const problems: string[] = [];
    for (const b of blocks) {
      const owners = RUN_BY.filter((r) => b.text.startsWith(r.start));
      if (owners.length > 1) problems.push(`${where(b)} is claimed ${owners.length} times`);
      if (owners.length === 1 && b.note !== undefined) problems.push(`${where(b)} is run by ${owners[0]!.file} yet marked "${b.note}"`);
      if (owners.length === 0 && !/^not run: \S.{20,}/.test(b.note ?? '')) problems.push(`${where(b)} is run by no test and has no <!-- readme-test: not run: <reason> --> above it`);
    }
    for (const r of RUN_BY) {
      const n = blocks.filter((b) => b.text.startsWith(r.start)).length;
      if (n !== 1) problems.push(`RUN_BY '${r.start}' matches ${n} README blocks`);
      if (!readFileSync(join(root, r.file), 'utf8').includes(JSON.stringify(r.start).slice(1, -1)) && r.file !== 'apps/cli/test/readme-code-blocks.test.ts')
        problems.push(`${r.file} does not mention '${r.start}', so it cannot be running that block`);
    }
    expect(problems).toEqual([]);
    // This check itself fails on an unclaimed, unmarked block.
    expect(blocks.length).toBeGreaterThan(10);
  });

  it("the demo's output: `npm run demo` prints exactly the README's lines (timings, throughput, shared path and the CPU-dependent max |Δlogit| aside)", async () => {
    const block = blockStartingWith(readme, 'model        …/shared/models/');
    const dir = mkdtempSync(join(tmpdir(), 'onebit-readme-demo-'));
    // What `npm run demo` runs after its (silent) build, from a fresh folder so `out/` is its own.
    const r = await run(process.execPath, [BIN, 'demo', '--out', 'out'], dir, env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(normalise(r.stdout).split('\n')).toEqual(normalise(block.text).split('\n'));
    // The max |Δlogit| left out above still has to be float noise: within 1e-3 × max |logit|.
    const [, delta, largest] = /max \|Δlogit\| (\S+) \(max \|logit\| (\S+)\)/.exec(r.stdout) ?? [];
    expect(Number(delta)).toBeLessThanOrEqual(1e-3 * Number(largest));
  }, 900_000);

  it('`onebit inspect --sizes` on the WRN prints the README\'s table', async () => {
    const block = blockStartingWith(readme, `${WRN_MAT}: mcdonnell-matlab-wrn`);
    const dir = mkdtempSync(join(tmpdir(), 'onebit-readme-sizes-'));
    symlinkSync(wrnMat(), join(dir, WRN_MAT));
    const r = await run(process.execPath, [BIN, 'inspect', '--sizes', WRN_MAT], dir, env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(block.text);
  }, 300_000);

  it("the Deploy Node example, run as written on CIFAR-10 test image 0, gives the README's first result", async () => {
    const block = blockStartingWith(readme, '// Node (onnxruntime-node)');
    const promised = nodeExamplePromise();
    const dir = workspaceTemp('onebit-readme-node-');
    symlinkSync(await convertedWrn(), join(dir, 'wrn.onnx'));
    expect(await cifarPng(0, join(dir, 'cat.png'))).toBe(3);
    // The block as written, then what its comments name: the first result, classifyBatch and info.
    const js = ts.transpileModule(block.text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    const check = "\nconsole.log(require('node:util').inspect(top5[0]));\nconsole.log(typeof model.classifyBatch, model.info.weights);\n";
    writeFileSync(join(dir, 'deploy.mjs'), `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${js}${check}`);
    const r = await run(process.execPath, ['deploy.mjs'], dir, env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${promised}\nfunction 26737120\n`);
  }, 300_000);

  it("the web-worker example type-checks against the browser types, bundles with Vite with the config it names, and run in Chromium on CIFAR-10 test image 0 gives the Node example's first result", async () => {
    const block = blockStartingWith(readme, '// Web page (onnxruntime-web');
    const worker = /\/\/ classifier\.worker\.ts:\s*(import .*;)/.exec(block.text)?.[1];
    expect(worker, "the block names its worker file's one line").toBe("import '@onebit/runtime/worker';");
    const viteConfig = /\/\/ vite\.config\.js:\s*(export default .*;)/.exec(block.text)?.[1];
    expect(viteConfig, 'the block names the Vite setting module workers need').toBe("export default { worker: { format: 'es' } };");
    const dir = workspaceTemp('onebit-readme-web-');
    writeFileSync(join(dir, 'vite.config.js'), `${viteConfig}\n`);
    // The block as written, then one line that shows its first result where the test can read it.
    writeFileSync(join(dir, 'main.ts'), `${block.text}document.title = JSON.stringify(top5[0]);\n`);
    // What the page fetches, put where Vite copies static files from: the model the block names,
    // the image it classifies, and onnxruntime-web's wasm under the `ort/` its wasmPaths names (the
    // packed WRN runs on onebit's engine, so today the page fetches none of it; a 404 would fail below).
    const modelFile = /loadModel\('([^']+)'/.exec(block.text)?.[1];
    expect(modelFile, 'the block loads a model by a relative URL').toBe('model.onnx');
    mkdirSync(join(dir, 'public', 'ort'), { recursive: true });
    copyFileSync(await convertedWrn(), join(dir, 'public', modelFile!));
    expect(await cifarPng(0, join(dir, 'public', 'cat.png'))).toBe(3);
    const ortDist = dirname(createRequire(join(root, 'packages', 'runtime', 'package.json')).resolve('onnxruntime-web'));
    for (const f of ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']) copyFileSync(join(ortDist, f), join(dir, 'public', 'ort', f));
    writeFileSync(join(dir, 'classifier.worker.ts'), `${worker}\n`);
    writeFileSync(join(dir, 'index.html'), '<!doctype html><link rel="icon" href="data:,"><img src="cat.png" alt="a cat"><script type="module" src="./main.ts"></script>\n');
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', customConditions: ['browser'], lib: ['ES2022', 'DOM'], types: [], skipLibCheck: true },
        files: ['main.ts', 'classifier.worker.ts'],
      }),
    );
    const tsc = await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], dir, env);
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    const vite = await run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn', '--outDir', 'dist'], dir, env);
    expect(vite.status, vite.stderr).toBe(0);
    const assets = readdirSync(join(dir, 'dist', 'assets'));
    // The page and its module worker (with the runtime's worker entry) are separate chunks.
    expect(assets.filter((f) => f.endsWith('.js')).length).toBeGreaterThanOrEqual(2);
    const js = assets.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(dir, 'dist', 'assets', f), 'utf8')).join('\n');
    expect(js).toContain('automobile');
    expect(js).not.toMatch(/onnxruntime-node|from"sharp"/);

    // Served as a user would serve the build, run in Chromium.
    const page = await runBuiltPage(dir, join(dir, 'vite.config.js'), () => document.title.startsWith('{'));
    expect(page.problems).toEqual([]);
    expect(inspect(JSON.parse(page.title))).toBe(nodeExamplePromise());
    // Its onProgress callback reported the download, ending with every byte of the model (the total
    // is the Content-Length, which `vite preview` does not send, hence undefined).
    const size = readFileSync(join(dir, 'public', modelFile!)).length;
    expect(page.logs.at(-1)).toBe(`${size} undefined`);
  }, 300_000);
});
