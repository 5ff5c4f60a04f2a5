/**
 * The built CLI end to end (compiled here first with tsc; the packages' dist comes from turbo's
 * ^build): a failing gate exits 1 with the gate, the measured value and the limit, and writes
 * JUnit; `--shard 1/2` + `2/2` merged by `onebit report merge` equal the unsharded JSON report.
 * The model is the validate package's test-data/mean-rgb.onnx (fast, a poor classifier); a
 * binary-wide-resnet fixture, converted with no graph, is validated with the preset its metadata names.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { sharedPath } from '@onebit/data';
import { beforeAll, describe, expect, it } from 'vitest';

const cliDir = fileURLToPath(new URL('../../', import.meta.url));
const model = fileURLToPath(new URL('../../../../packages/validate/test-data/mean-rgb.onnx', import.meta.url));
const data = sharedPath('datasets/cifar10/test_batch_0-999.bin');
/** mean-rgb.onnx records no preprocessing: every run names it. */
const RAW = ['--preprocess', 'raw255'];
const out = mkdtempSync(join(tmpdir(), 'onebit-cli-validate-'));

function onebit(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(cliDir, 'bin/onebit.js'), ...args], { encoding: 'utf8', env: { ...process.env, ONEBIT_OFFLINE: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('onebit validate (built CLI)', () => {
  // Asynchronous, so vitest's worker keeps answering its RPC while tsc runs (a blocking call of
  // over 60 s under load fails the file with "Timeout calling onTaskUpdate").
  beforeAll(async () => {
    await promisify(execFile)(process.execPath, [join(cliDir, '../../node_modules/typescript/bin/tsc'), '-p', join(cliDir, 'tsconfig.json')]);
  });

  it('EXPECTED FAILURE: a failing gate exits 1 naming the gate, the measured value and the limit', () => {
    const junit = join(out, 'gates.xml');
    const r = onebit('validate', model, ...RAW, '--data', data, '--limit', '50', '--threads', '1', '--expect-top1-error', '<=0.039', '--junit', junit);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('FAIL --expect-top1-error: top-1 error 92.00 % (46/50) is not <= the limit 3.90 % (over by 88.10 pp)');
    expect(r.stdout).toContain('top-1 error  92.00 % (46/50)');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuites name="onebit validate" tests="1" failures="1">');
    expect(xml).toContain('name="--expect-top1-error"');
  });

  it('a passing gate exits 0', () => {
    const r = onebit('validate', model, ...RAW, '--data', data, '--limit', '50', '--threads', '1', '--expect-top1-error', '<=0.95');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('PASS --expect-top1-error: top-1 error 92.00 % (46/50) is <= 95.00 %');
    expect(r.status).toBe(0);
  });

  it('EXPECTED FAILURE: a model that records no preprocessing, without --preprocess, exits 2 naming the flag and the presets', () => {
    const r = onebit('validate', model, '--data', data, '--limit', '10');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('error: mean-rgb.onnx records no preprocessing (no onebit.preprocess metadata), so pass the one it was trained with: --preprocess unit|raw255|cifar-torchvision|cifar-wrn|imagenet.');
    expect(r.stdout).toBe('');
  });

  it('shards 1/2 and 2/2 merged by `onebit report merge` equal the unsharded report', () => {
    const common = [...RAW, '--data', data, '--limit', '300', '--threads', '1'];
    expect(onebit('validate', model, ...common, '--json', join(out, 'all.json')).status).toBe(0);
    for (const i of [1, 2]) expect(onebit('validate', model, ...common, '--shard', `${i}/2`, '--json', join(out, `shard-${i}.json`)).status).toBe(0);
    const merged = onebit('report', 'merge', join(out, 'shard-2.json'), join(out, 'shard-1.json'), '-o', join(out, 'merged.json'));
    expect(merged.status).toBe(0);
    expect(merged.stdout).toContain('merged       2 shard reports');
    const strip = (file: string): Record<string, unknown> => {
      const { sessionCreationMs: _s, inferenceMs: _i, throughput: _t, batchLatencyMs: _b, mergedFrom: _m, shards: _h, tool, ...rest } = JSON.parse(readFileSync(join(out, file), 'utf8')) as Record<string, unknown>;
      expect(tool).toMatch(/^onebit \d+\.\d+\.\d+/);
      return rest;
    };
    expect(strip('merged.json')).toEqual(strip('all.json'));
    const bad = onebit('report', 'merge', join(out, 'shard-2.json'), '-o', join(out, 'bad.json'));
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('error: shard-2.json starts at image 150 but the shards before it end at 0; a shard is missing.');
  });

  it('EXPECTED FAILURE: report merge refuses shards of other preprocessing, a shard given twice and a report without schemaVersion (exit 1, one sentence); a renamed copy of the model merges', () => {
    const common = ['--data', data, '--limit', '40', '--threads', '1'];
    const renamed = join(out, 'renamed-mean-rgb.onnx');
    copyFileSync(model, renamed);
    expect(onebit('validate', model, ...RAW, ...common, '--shard', '1/2', '--json', join(out, 'm1.json')).status).toBe(0);
    expect(onebit('validate', renamed, ...RAW, ...common, '--shard', '2/2', '--json', join(out, 'm2.json')).status).toBe(0);
    expect(onebit('validate', model, '--preprocess', 'unit', ...common, '--shard', '2/2', '--json', join(out, 'm2-unit.json')).status).toBe(0);
    const ok = onebit('report', 'merge', join(out, 'm1.json'), join(out, 'm2.json'), '-o', join(out, 'm.json'));
    expect(ok.status).toBe(0);
    const pre = onebit('report', 'merge', join(out, 'm1.json'), join(out, 'm2-unit.json'), '-o', join(out, 'x.json'));
    expect(pre.status).toBe(1);
    expect(pre.stderr.trim()).toBe('error: m2-unit.json used preprocessing [{"name":"unit","scale":0.00392156862745098,"mean":[0],"std":[1]},null] but m1.json used [{"name":"raw255","scale":1,"mean":[0],"std":[1]},null]; merge only shards validated with the same preprocessing.');
    copyFileSync(join(out, 'm1.json'), join(out, 'm1-copy.json'));
    const twice = onebit('report', 'merge', join(out, 'm1.json'), join(out, 'm2.json'), join(out, 'm1-copy.json'), '-o', join(out, 'x.json'));
    expect(twice.status).toBe(1);
    expect(twice.stderr.trim()).toBe('error: m1-copy.json is the same report as m1.json (identical content); give each shard once.');
    const { schemaVersion: _v, ...old } = JSON.parse(readFileSync(join(out, 'm2.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(out, 'old.json'), JSON.stringify(old));
    const legacy = onebit('report', 'merge', join(out, 'm1.json'), join(out, 'old.json'), '-o', join(out, 'x.json'));
    expect(legacy.status).toBe(1);
    expect(legacy.stderr.trim()).toBe("error: report: old.json has no schemaVersion, so it was written by an older onebit and does not record which model, data and preprocessing it measured; regenerate it with this onebit's `onebit validate … --json`.");
  });

  it('EXPECTED FAILURE: --max-drop-vs refuses a baseline of other images or preprocessing before running (exit 1, one sentence) and gates against a matching one', () => {
    const common = ['--data', data, '--threads', '1'];
    expect(onebit('validate', model, ...RAW, ...common, '--limit', '40', '--json', join(out, 'base.json')).status).toBe(0);
    const same = onebit('validate', model, ...RAW, ...common, '--limit', '40', '--max-drop-vs', join(out, 'base.json'), '0.5pp');
    expect(same.status).toBe(0);
    expect(same.stdout).toContain('PASS --max-drop-vs: top-1 error 90.00 % vs 90.00 % in base.json: a drop of 0.00 pp, within the limit 0.5 pp');
    const fewer = onebit('validate', model, ...RAW, ...common, '--limit', '30', '--max-drop-vs', join(out, 'base.json'), '0.5pp');
    expect(fewer.status).toBe(1);
    expect(fewer.stderr.trim()).toBe("error: base.json measured 40 images (0–39 of 40) but this run measures 30 images (0–29 of 30); use the baseline's --limit and --shard or regenerate it with this run's.");
    expect(fewer.stdout).toBe('');
    const unit = onebit('validate', model, '--preprocess', 'unit', ...common, '--limit', '40', '--max-drop-vs', join(out, 'base.json'), '0.5pp');
    expect(unit.status).toBe(1);
    expect(unit.stderr.trim()).toMatch(/^error: base\.json used preprocessing \[\{"name":"raw255".* but this run uses \[\{"name":"unit".*; pass the baseline's --preprocess\/--mean\/--std\/--size\/--crop or regenerate the baseline with this run's\.$/);
  });

  it('EXPECTED FAILURE: an input batch larger than V8 can allocate (--crop 100000 on an image folder) is a one-sentence LimitError, exit 1 (not a usage error)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onebit-cli-huge-crop-'));
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toBuffer();
    writeFileSync(join(dir, 'a.png'), png);
    writeFileSync(join(dir, 'b.png'), png);
    writeFileSync(join(dir, 'labels.csv'), 'filename,class_index\na.png,0\nb.png,1\n');
    const r = onebit('validate', model, ...RAW, '--data', dir, '--crop', '100000', '--threads', '1');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('error: the float32 input batch of 2 images of 3×100000×100000 (a smaller --batch-size, --size or --crop needs less) needs 240000000000 bytes, more than this process can allocate (Invalid typed array length: 60000000000).');
  });

  it('a binary-wide-resnet checkpoint converts with no graph, and validate takes cifar-wrn from the model metadata', () => {
    const fixture = (f: string) => fileURLToPath(new URL(`../../../../test-fixtures/binary-wide-resnet/${f}`, import.meta.url));
    const onnx = join(out, 'wrn8.onnx');
    const c = onebit('convert', fixture('wrn8-0.75-c10.packed.pth.tar'), '-o', onnx);
    expect(c.stderr).toBe('');
    expect(c.stdout).toContain('input        PyTorch checkpoint (zip, torch ≥ 1.6) → binary-wide-resnet, depth 8, width 0.75 (packed release)');
    expect(c.status).toBe(0);
    const r = onebit('validate', onnx, '--data', data, '--limit', '100', '--threads', '1', '--reference', fixture('wrn8-0.75-c10.logits.npy'), '--min-agreement', '1.0');
    expect(r.stdout).toContain('preprocess   cifar-wrn:');
    expect(r.stdout).toContain('reference    top-1 agreement 100.00 % (100/100)');
    expect(r.status).toBe(0);
  });
});
