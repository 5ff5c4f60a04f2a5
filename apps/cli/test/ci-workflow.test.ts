/**
 * The ready-to-copy GitHub Actions workflow in examples/: its `npx onebit …` steps run as written
 * (each matrix shard, then the merge with its gates and JUnit output) against the authors' WRN and
 * the CIFAR-10 images in ../shared, with LIMIT=20 instead of the workflow's 10000. The GitHub
 * actions around them (checkout, artifacts) are not run.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedPath } from '@onebit/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, type RunResult } from './install-project.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const workflow = readFileSync(join(root, 'examples/github-actions-validate.yml'), 'utf8');
// Inside the repository (git-ignored .scratch/), so `npx onebit` finds the workspace's onebit as it
// finds the one in a user's devDependencies.
mkdirSync(join(root, '.scratch'), { recursive: true });
const work = mkdtempSync(join(root, '.scratch', 'ci-workflow-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  ONEBIT_OFFLINE: '1',
  MODEL: join(work, 'wrn.onnx'),
  DATA: sharedPath('datasets/cifar10/test_batch_0-999.bin'),
  REFERENCE: sharedPath('reference/mcdonnell-wrn20-10-matlab_cifar10-test-0-999_logits.npy'),
  LIMIT: '20',
  npm_config_offline: 'true',
};
const sh = (command: string): Promise<RunResult> => run('sh', ['-c', command], work, env);

/** The `run:` lines that call onebit, in workflow order. */
const onebitSteps = [...workflow.matchAll(/^\s*- run: (npx onebit .*)$/gm)].map((m) => m[1]!);
const shards = JSON.parse(/shard: (\[[\d, ]+\])/.exec(workflow)![1]!) as number[];

describe('examples/github-actions-validate.yml, its onebit commands as written (LIMIT=20)', () => {
  beforeAll(async () => {
    const r = await sh(`npx onebit convert ${sharedPath('models/mcdonnell-wrn20-10-cifar10/matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat')} -o "$MODEL"`);
    expect(r.status, r.stderr).toBe(0);
  });

  it('has a 4-shard validate step and a gated merge step with JUnit output', () => {
    expect(shards).toEqual([1, 2, 3, 4]);
    expect(onebitSteps).toHaveLength(2);
    expect(onebitSteps[0]).toContain('--shard ${{ matrix.shard }}/4');
    expect(onebitSteps[1]).toMatch(/^npx onebit report merge shard-\*\.json .*--expect-top1-error '<=0\.039' --min-agreement 1\.0 --junit report\.xml$/);
  });

  it('each shard validates its 5 images; the merge gates pass on all 20 and write JUnit', async () => {
    for (const shard of shards) {
      const r = await sh(onebitSteps[0]!.replaceAll('${{ matrix.shard }}', String(shard)));
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`images +5 = images ${(shard - 1) * 5}–${shard * 5 - 1} of 20 \\(shard ${shard}/4\\)`));
    }
    const merge = await sh(onebitSteps[1]!);
    expect(merge.status, merge.stderr + merge.stdout).toBe(0);
    expect(merge.stdout).toMatch(/top-1 error {2}0\.00 % \(0\/20\)/);
    expect(merge.stdout).toMatch(/top-1 agreement 100\.00 % \(20\/20\)/);
    const junit = readFileSync(join(work, 'report.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite [^>]*tests="2" failures="0"/);
  });

  it('EXPECTED FAILURE: the merged gate exits 1 when the error bound is not met', async () => {
    const r = await sh(onebitSteps[1]!.replace("'<=0.039'", "'<0'").replace('report.json', 'strict.json').replace('report.xml', 'strict.xml'));
    expect(r.status).toBe(1);
    expect(readFileSync(join(work, 'strict.xml'), 'utf8')).toMatch(/failures="1"/);
  });
});
