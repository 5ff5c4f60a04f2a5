/**
 * Sharded runs merged equal the unsharded run: test-data/mean-rgb.onnx on all 1000 CIFAR-10 images
 * (fast, exact logits) in 4 and in 7 shards, and the packed MATLAB WRN-20-10 (converted here with
 * @onebit/convert, resolved by the vitest alias: convert already depends on validate for its own
 * tests, so declaring it in package.json would make a cycle) on CIFAR-10 test images 0–79 in 4
 * shards of 20; plus the refusals.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FormatError, MismatchError, tensor } from '@onebit/core';
import { convertSync } from '@onebit/convert';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { readCifar } from './cifar.js';
import { mergeReports, type ReportJson } from './merge-reports.js';
import { readNpy } from './npy.js';
import { validateModel, type ValidateOptions } from './validate-model.js';
import { validateRuntimes } from './validate-runtimes.js';

const cifar = readCifar(new Uint8Array(readFileSync(sharedPath('datasets/cifar10/test_batch_0-999.bin'))));
const meanRgb = new Uint8Array(readFileSync(new URL('../test-data/mean-rgb.onnx', import.meta.url)));

/** The report as JSON gives it back (what `onebit report merge` reads). */
const json = (r: object): ReportJson => JSON.parse(JSON.stringify(r)) as ReportJson;

/** The fields a merge must reproduce exactly (everything except timings and the shard's range). */
function accuracyFields(r: ReportJson): object {
  const { sessionCreationMs: _s, inferenceMs: _i, throughput: _t, batchLatencyMs: _b, mergedFrom: _m, shards: _h, ...rest } = r;
  return rest;
}

async function shardsAndWhole(opts: Omit<ValidateOptions, 'shard'>, count: number): Promise<{ whole: ReportJson; shards: ReportJson[] }> {
  const whole = json(await validateModel(opts));
  const shards: ReportJson[] = [];
  for (let index = 1; index <= count; index++) shards.push(json(await validateModel({ ...opts, shard: { index, count } })));
  return { whole, shards };
}

describe('mergeReports', () => {
  it('4 and 7 shards of mean-rgb.onnx on 1000 CIFAR-10 images merge into the unsharded report (with reference parity)', async () => {
    const ref = new Float32Array(10_000).map((_, i) => (i * 37) % 11);
    for (const count of [4, 7]) {
      const { whole, shards } = await shardsAndWhole({ model: meanRgb, data: cifar, preprocess: 'raw255', threads: 1, reference: tensor('float32', [1000, 10], ref) }, count);
      expect(shards.map((s) => s.n).reduce((a, b) => a + b)).toBe(1000);
      const merged = mergeReports([...shards].reverse());
      expect(accuracyFields(merged)).toEqual(accuracyFields(whole));
      expect(merged.mergedFrom).toBe(count);
      expect(merged.throughput).toBeGreaterThan(0);
      expect(whole.disagreements!.length).toBeGreaterThan(0);
    }
  });

  // Five onnxruntime sessions of the 26.7 M-weight WRN (4 shards + the whole run): minutes on 2 busy cores.
  const WRN_SHARDS_TIMEOUT_MS = 600_000;
  it('shards 1/4..4/4 of the packed MATLAB WRN on CIFAR-10 test images 0–79 merge into the unsharded report', async () => {
    const model = convertSync(new Uint8Array(readFileSync(sharedPath('models/mcdonnell-wrn20-10-cifar10/matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat')))).bytes;
    const reference = readNpy(new Uint8Array(readFileSync(sharedPath('reference/mcdonnell-wrn20-10-matlab_cifar10-test-0-999_logits.npy'))));
    const { whole, shards } = await shardsAndWhole({ model, data: cifar, preprocess: 'raw255', limit: 80, batchSize: 20, reference }, 4);
    expect(shards.map((s) => [s.range.start, s.range.end])).toEqual([[0, 20], [20, 40], [40, 60], [60, 80]]);
    const merged = mergeReports(shards);
    expect(accuracyFields(merged)).toEqual(accuracyFields(whole));
    expect(merged.n).toBe(80);
    expect(merged.agreement).toBe(1);
    expect(merged.predictions).toEqual([...readNpy(new Uint8Array(readFileSync(sharedPath('reference/mcdonnell-wrn20-10-matlab_cifar10-test-0-999_logits.npy')))).data]
      .reduce<number[][]>((rows, v, i) => (i % 10 ? rows[rows.length - 1]!.push(Number(v)) : rows.push([Number(v)]), rows), []).slice(0, 80)
      .map((row) => row.indexOf(Math.max(...row))));
  }, WRN_SHARDS_TIMEOUT_MS);

  it('--runtime all shards (node and wasm) merge into the unsharded per-runtime summaries and pair parity', async () => {
    const opts = { model: meanRgb, data: cifar, preprocess: 'raw255', threads: 1, limit: 200, batchSize: 30, runtimes: ['node', 'wasm'] as const };
    const whole = json(await validateRuntimes(opts));
    const shards: ReportJson[] = [];
    for (let index = 1; index <= 4; index++) shards.push(json(await validateRuntimes({ ...opts, shard: { index, count: 4 } })));
    const merged = mergeReports(shards);
    expect(accuracyFields(merged)).toEqual({ ...accuracyFields(whole), runtimes: merged.runtimes, crossRuntime: whole.crossRuntime });
    expect(merged.crossRuntime).toEqual(whole.crossRuntime);
    expect(merged.crossRuntime![0]!.agreement).toBe(1);
    expect(merged.runtimes!.map((r) => [r.runtime, r.top1Error, r.top5Error])).toEqual(whole.runtimes!.map((r) => [r.runtime, r.top1Error, r.top5Error]));
  });

  it('EXPECTED FAILURE: missing, overlapping or mismatched shards are named', async () => {
    const { shards } = await shardsAndWhole({ model: meanRgb, data: cifar, preprocess: 'raw255', threads: 1, limit: 30 }, 3);
    const names = ['s1.json', 's2.json', 's3.json'];
    expect(() => mergeReports([shards[0]!, shards[2]!], [names[0]!, names[2]!])).toThrow('s3.json starts at image 20 but the shards before it end at 10; a shard is missing.');
    expect(() => mergeReports([shards[0]!, shards[1]!], names)).toThrow('the shards end at image 20 of 30; a shard is missing.');
    expect(() => mergeReports([shards[0]!, { ...shards[1]!, range: { ...shards[1]!.range, start: 5 } }, shards[2]!], names)).toThrow('s2.json starts at image 5 but the shards before it end at 10; shards overlap.');
    expect(() => mergeReports([{ n: 3 } as unknown as ReportJson], ['x.json'])).toThrow('x.json is not a onebit validation report with per-image labels and top-k classes (range, labels, topK).');
  });

  it('EXPECTED FAILURE: a shard given twice, by copy or by a second run of the same range, is refused (MismatchError)', async () => {
    const { shards } = await shardsAndWhole({ model: meanRgb, data: cifar, preprocess: 'raw255', threads: 1, limit: 30 }, 3);
    expect(() => mergeReports([shards[0]!, shards[1]!, shards[0]!, shards[2]!], ['a', 'b', 'c', 'd'])).toThrow(MismatchError);
    expect(() => mergeReports([shards[0]!, shards[1]!, shards[0]!, shards[2]!], ['a', 'b', 'c', 'd'])).toThrow('c is the same report as a (identical content); give each shard once.');
    const rerun = { ...shards[1]!, inferenceMs: shards[1]!.inferenceMs + 1 };
    expect(() => mergeReports([shards[0]!, shards[1]!, rerun, shards[2]!], ['a', 'b', 'c', 'd'])).toThrow('c and b both cover images 10–19; give each shard once.');
  });

  it('EXPECTED FAILURE: shards of another model, data set, preprocessing or schema are refused by content, not file name', async () => {
    const { shards } = await shardsAndWhole({ model: meanRgb, data: cifar, preprocess: 'raw255', threads: 1, limit: 30 }, 3);
    const [s1, s2, s3] = shards as [ReportJson, ReportJson, ReportJson];
    const names = ['s1.json', 's2.json', 's3.json'];
    // The same model under another file name merges; another model under the same name does not.
    expect(mergeReports([{ ...s1, model: 'a.onnx' }, { ...s2, model: 'b.onnx' }, s3], names).n).toBe(30);
    expect(s1.modelSha256).toBe('3c63599fd88f60992571919a7efc27a2dca8cf0c6aabf3a29d7e1c9dd99f0e30'); // sha256sum test-data/mean-rgb.onnx
    const otherModel = json(await validateModel({ model: meanRgb, modelSha256: 'ab'.repeat(32), data: cifar, preprocess: 'raw255', threads: 1, limit: 30, shard: { index: 2, count: 3 } }));
    expect(() => mergeReports([{ ...s1, model: 'm.onnx' }, { ...otherModel, model: 'm.onnx' }, s3], names)).toThrow(
      `s2.json measured model sha256 abababababab… (m.onnx) but s1.json measured sha256 3c63599fd88f… (m.onnx); merge only shards of one model.`);
    const otherData = { ...cifar, digest: { sha256: '0'.repeat(64), of: 'test' } };
    const s2OtherData = json(await validateModel({ model: meanRgb, data: otherData, preprocess: 'raw255', threads: 1, limit: 30, shard: { index: 2, count: 3 } }));
    expect(() => mergeReports([s1, s2OtherData, s3], names)).toThrow(MismatchError);
    expect(() => mergeReports([s1, s2OtherData, s3], names)).toThrow(/^s2\.json measured data sha256 000000000000… \(unnamed\) but s1\.json measured sha256 [0-9a-f]{12}… \(unnamed\); merge only shards of one data set\.$/);
    const s2Unit = json(await validateModel({ model: meanRgb, data: cifar, preprocess: 'unit', threads: 1, limit: 30, shard: { index: 2, count: 3 } }));
    expect(() => mergeReports([s1, s2Unit, s3], names)).toThrow(
      's2.json used preprocessing [{"name":"unit","scale":0.00392156862745098,"mean":[0],"std":[1]},null] but s1.json used [{"name":"raw255","scale":1,"mean":[0],"std":[1]},null]; merge only shards validated with the same preprocessing.');
    const { schemaVersion: _v, ...old } = s2;
    expect(() => mergeReports([s1, old as ReportJson, s3], names)).toThrow(FormatError);
    expect(() => mergeReports([s1, old as ReportJson, s3], names)).toThrow("report: s2.json has no schemaVersion, so it was written by an older onebit and does not record which model, data and preprocessing it measured; regenerate it with this onebit's `onebit validate … --json`.");
    expect(() => mergeReports([s1, { ...s2, schemaVersion: 2 }, s3], names)).toThrow("report: s2.json has schemaVersion 2 but this onebit reads schema 1; regenerate it with this onebit's `onebit validate … --json`.");
  });

  it('a merged report lists each shard with the SHA-256 of its content and its image range', async () => {
    const { shards } = await shardsAndWhole({ model: meanRgb, data: cifar, preprocess: 'raw255', threads: 1, limit: 30 }, 3);
    const merged = mergeReports(shards, ['s1.json', 's2.json', 's3.json']);
    expect(merged.shards!.map(({ name, start, end }) => [name, start, end])).toEqual([['s1.json', 0, 10], ['s2.json', 10, 20], ['s3.json', 20, 30]]);
    expect(merged.shards!.every((s, i) => s.sha256 === createHash('sha256').update(JSON.stringify(shards[i])).digest('hex'))).toBe(true);
  });
});
