/**
 * The README's shell blocks that use the `onebit` command, run as written: each command line of
 * the block runs through `sh` in a fresh folder where the README's file names are symlinks to the
 * repository's fixtures and the shared data (never copied), with `onebit` on PATH as the built
 * bin/onebit.js; the results its comments promise (tensor counts, byte sizes, byte-identical files)
 * are checked. readme-code-blocks.test.ts checks that every block of the README is run by some test
 * or marked with the reason it is not.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { run, type RunResult } from './install-project.js';
import { codeBlocks, shellCommands, type CodeBlock } from './readme-blocks.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const readme = join(root, 'README.md');
const BIN = fileURLToPath(new URL('../bin/onebit.js', import.meta.url));
const fixture = (p: string) => join(root, 'test-fixtures', p);

/** A folder holding the README's file names and an `onebit` on PATH. */
function workspace(links: Record<string, string>): { dir: string; sh: (command: string) => Promise<RunResult> } {
  const dir = mkdtempSync(join(tmpdir(), 'onebit-readme-'));
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'onebit'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(bin, 'onebit'), 0o755);
  for (const [name, target] of Object.entries(links)) symlinkSync(target, join(dir, name));
  const env = { ...process.env, ONEBIT_OFFLINE: '1', PATH: `${bin}${delimiter}${process.env['PATH']}` };
  // Asynchronous, so vitest's worker keeps answering its RPC while a command runs for tens of seconds.
  return { dir, sh: (command) => run('sh', ['-c', command], dir, env) };
}

/** The one shell block whose text starts with `marker`. */
function shellBlock(marker: string): CodeBlock {
  const found = codeBlocks(readme).filter((b) => b.lang === 'sh' && b.text.trimStart().startsWith(marker));
  expect(found, marker).toHaveLength(1);
  return found[0]!;
}

/** Runs every command of the block in order; each must exit 0. */
async function runBlock(block: CodeBlock, sh: ReturnType<typeof workspace>['sh']): Promise<string[]> {
  const out: string[] = [];
  for (const command of shellCommands(block)) {
    const r = await sh(command);
    expect(r.status, `README.md:${block.line}: ${command}\n${r.stderr}`).toBe(0);
    out.push(r.stdout);
  }
  return out;
}

const RUN = ['onebit inspect resnet20-12fca82f.th', 'onebit inspect checkpoint.pth.tar', 'onebit convert TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat -o wrn.onebit'];

describe("the README's shell blocks", () => {
  it('converting a PyTorch checkpoint and an ONNX model (ResNet-20): inspect, --graph, --keep-first/--keep-last', async () => {
    const { sh } = workspace({
      'resnet20-12fca82f.th': sharedPath('models/akamaster-resnet20-cifar10/resnet20-12fca82f.th'),
      'resnet20.onnx': fixture('resnet20/resnet20.onnx'),
      'model.onnx': fixture('resnet20/resnet20.onnx'),
    });
    const [inspect] = await runBlock(shellBlock(RUN[0]!), sh);
    expect(inspect).toContain('tensors (97, ');
    expect(inspect).toContain("state_dict   under 'state_dict'");
    expect(inspect).toContain('metadata     best_prec1 = 91.78000183105469');
  }, 120_000);

  it("the authors' binary-wide-resnet checkpoint: inspect, convert, validate on the shared CIFAR-10 batch", async () => {
    const { sh } = workspace({
      'checkpoint.pth.tar': fixture('binary-wide-resnet/wrn8-0.75-c10.checkpoint.pth.tar'),
      'test_batch.bin': sharedPath('datasets/cifar10/test_batch_0-999.bin'),
    });
    const [inspect, , validate] = await runBlock(shellBlock(RUN[1]!), sh);
    expect(inspect).toContain('network      binary-wide-resnet: depth 8, width 0.75 (12/24/48 channels), 10 classes; training checkpoint (latent float weights); preprocess cifar-wrn');
    expect(validate).toMatch(/preprocess +cifar-wrn/);
    expect(validate).toMatch(/images +1000/);
  }, 300_000);

  it('.onebit ⇄ ONNX round trips: the sizes and byte-identical files the comments promise', async () => {
    const { dir, sh } = workspace({
      'TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat': sharedPath('models/mcdonnell-wrn20-10-cifar10/matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat'),
      'resnet20-12fca82f.th': sharedPath('models/akamaster-resnet20-cifar10/resnet20-12fca82f.th'),
      'resnet20.onnx': fixture('resnet20/resnet20.onnx'),
    });
    const block = shellBlock(RUN[2]!);
    await runBlock(block, sh);
    const bytes = (f: string) => readFileSync(join(dir, f));
    // Each `-o FILE … # N bytes` comment, read from the README, against the file written.
    const sizes = [...block.text.matchAll(/-o (\S+)\s+#\s*([\d,]+) bytes/g)].map((m) => [m[1]!, Number(m[2]!.replace(/,/g, ''))] as const);
    expect(sizes.map(([f]) => f)).toEqual(['wrn.onebit', 'r.onebit']);
    for (const [file, size] of sizes) expect(statSync(join(dir, file)).size, file).toBe(size);
    expect(bytes('again.onebit').equals(bytes('wrn.onebit'))).toBe(true);
    // The comparisons the comments name: the .mat and the .th converted straight to ONNX.
    expect((await sh('onebit convert TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat -o direct.onnx')).status).toBe(0);
    expect(bytes('wrn.onnx').equals(bytes('direct.onnx'))).toBe(true);
    expect((await sh('onebit convert resnet20-12fca82f.th --graph resnet20.onnx --include-gemm -o r-direct.onnx')).status).toBe(0);
    expect(bytes('r.onnx').equals(bytes('r-direct.onnx'))).toBe(true);
  }, 300_000);
});
