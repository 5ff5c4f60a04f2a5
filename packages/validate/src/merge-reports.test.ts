/**
 * Sharded runs merged equal the unsharded run: test-data/mean-rgb.onnx on all 1000 CIFAR-10 images
 * (fast, exact logits) in 4 and in 7 shards, and the packed MATLAB WRN-20-10 (converted here with
 * @onebit/convert, resolved by the vitest alias: convert already depends on validate for its own
 * tests, so declaring it in package.json would make a cycle) on CIFAR-10 test images 0–79 in 4
 * shards of 20; plus the refusals.
 */
import { readFileSync } from 'node:fs';
import { FormatError, tensor } from '@onebit/core';
import { convertToOnnx } from '@onebit/convert';
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
  const { sessionCreationMs: _s, inferenceMs: _i, throughput: _t, batchLatencyMs: _b, mergedFrom: _m, ...rest } = r;
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

  it('shards 1/4..4/4 of the packed MATLAB WRN on CIFAR-10 test images 0–79 merge into the unsharded report', async () => {
    const model = convertToOnnx(new Uint8Array(readFileSync(sharedPath('models/mcdonnell-wrn20-10-cifar10/matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat')))).bytes;
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
  });

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
    expect(() => mergeReports([shards[0]!, shards[0]!, shards[1]!, shards[2]!], ['a', 'b', 'c', 'd'])).toThrow('b starts at image 0 but the shards before it end at 10; shards overlap.');
    expect(() => mergeReports([shards[0]!, { ...shards[1]!, preprocess: 'cifar-torchvision' }, shards[2]!], names)).toThrow(FormatError);
    expect(() => mergeReports([shards[0]!, { ...shards[1]!, preprocess: 'cifar-torchvision' }, shards[2]!], names)).toThrow('s2.json has preprocess "cifar-torchvision" but s1.json has "raw255"; shards must come from the same run settings.');
    expect(() => mergeReports([{ n: 3 } as unknown as ReportJson], ['x.json'])).toThrow('x.json is not a onebit validation report with per-image labels and top-k classes (range, labels, topK).');
  });
});
