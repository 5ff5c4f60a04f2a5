/**
 * Tests of what a report records about its measurement (schema 1) and of the checks built on it:
 * the identity fields of a real run of test-data/mean-rgb.onnx on the shared CIFAR-10 images (hashes
 * checkable with sha256sum), reading a report back (old, newer and non-reports refused), and
 * `--max-drop-vs` baselines of other data, images or preprocessing refused in one sentence.
 */
import { readFileSync } from 'node:fs';
import { FormatError, MismatchError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { loadImageSet } from './load-image-set.js';
import type { ReportJson } from './merge-reports.js';
import { checkBaseline, parseReportJson } from './report-compat.js';
import { formatReportJson } from './report-json.js';
import { validateModel } from './validate-model.js';

const cifarPath = sharedPath('datasets/cifar10/test_batch_0-999.bin');
const meanRgb = new Uint8Array(readFileSync(new URL('../test-data/mean-rgb.onnx', import.meta.url)));
const json = (r: object): ReportJson => JSON.parse(formatReportJson(r)) as ReportJson;

describe('a schema-1 report records what it measured', () => {
  it('mean-rgb.onnx on the first 20 shared CIFAR-10 images: schema, tool, hashes, preprocessing, runtime, range', async () => {
    const data = await loadImageSet(cifarPath);
    const r = json(await validateModel({ model: meanRgb, data, preprocess: 'raw255', threads: 1, limit: 20 }));
    expect(r.schemaVersion).toBe(1);
    expect(r.tool).toBe('@onebit/validate 0.1.0');
    expect(r.modelSha256).toBe('3c63599fd88f60992571919a7efc27a2dca8cf0c6aabf3a29d7e1c9dd99f0e30'); // sha256sum test-data/mean-rgb.onnx
    expect(r.dataSha256).toBe('8314c96d7cd65618193bab23acdd5d4c4af15bf6dd00a1781d55beedf3be1ef5'); // sha256sum test_batch_0-999.bin
    expect(r.dataDigest).toBe('the bytes of test_batch_0-999.bin');
    expect(r.preprocessing).toEqual({ name: 'raw255', scale: 1, mean: [0], std: [1] });
    expect(r.runtimeVersion).toBe('onnxruntime-node 1.30.0');
    expect(r.threads).toBe(1);
    expect(r.runtimeName).toBe('onnxruntime-node 1.30.0 (1 thread)');
    expect([r.n, r.range]).toEqual([20, { start: 0, end: 20, total: 20 }]);
  });

  it('MNIST is digested as its images file then its labels file (cat both | sha256sum)', async () => {
    const data = await loadImageSet(sharedPath('datasets/mnist/t10k-images-idx3-ubyte'));
    expect(data.digest).toEqual({ sha256: '18489308deedfe2f7bd3a11e599a597126f161d991b1ffcffb71642aa76f7f62', of: 'the bytes of t10k-images-idx3-ubyte followed by those of t10k-labels-idx1-ubyte' });
  });
});

describe('reading reports back', () => {
  it('EXPECTED FAILURE: a report without schemaVersion (older onebit), a newer schema, a non-report and non-JSON are refused', () => {
    expect(() => parseReportJson('{"top1Error": 0.04, "n": 1000}', 'old.json')).toThrow(FormatError);
    expect(() => parseReportJson('{"top1Error": 0.04, "n": 1000}', 'old.json')).toThrow(
      "report: old.json has no schemaVersion, so it was written by an older onebit and does not record which model, data and preprocessing it measured; regenerate it with this onebit's `onebit validate … --json`.");
    expect(() => parseReportJson('{"top1Error": 0.04, "schemaVersion": 7}', 'new.json')).toThrow("report: new.json has schemaVersion 7 but this onebit reads schema 1; regenerate it with this onebit's `onebit validate … --json`.");
    expect(() => parseReportJson('{"schemaVersion": 1}', 'x.json')).toThrow('report: x.json has no numeric top1Error; it is not a onebit validation report.');
    expect(() => parseReportJson('{"top1', 'x.json')).toThrow(/^report: x\.json is not JSON: /);
  });
});

describe('checkBaseline (--max-drop-vs)', () => {
  it('accepts a baseline of another model on the same data, images and preprocessing; refuses other data, images or preprocessing', async () => {
    const data = await loadImageSet(cifarPath);
    const base = json(await validateModel({ model: meanRgb, modelSha256: 'ab'.repeat(32), data, preprocess: 'raw255', threads: 1, limit: 30 }));
    const run = json(await validateModel({ model: meanRgb, data, preprocess: 'raw255', threads: 1, limit: 30 }));
    expect(() => checkBaseline({ ...base, data: 'test_batch_0-999.bin' }, { ...run, data: 'test_batch_0-999.bin' }, 'base.json')).not.toThrow();

    const otherData = { ...run, data: 'other.bin', dataSha256: '0'.repeat(64) };
    expect(() => checkBaseline({ ...base, data: 'test_batch_0-999.bin' }, otherData, 'base.json')).toThrow(MismatchError);
    expect(() => checkBaseline({ ...base, data: 'test_batch_0-999.bin' }, otherData, 'base.json')).toThrow(
      'base.json was measured on data sha256 8314c96d7cd6… (test_batch_0-999.bin) but this run reads sha256 000000000000… (other.bin); validate the same --data as the baseline or regenerate the baseline on this data.');

    const fewer = json(await validateModel({ model: meanRgb, data, preprocess: 'raw255', threads: 1, limit: 20 }));
    expect(() => checkBaseline(base, fewer, 'base.json')).toThrow(
      "base.json measured 30 images (0–29 of 30) but this run measures 20 images (0–19 of 20); use the baseline's --limit and --shard or regenerate it with this run's.");
    const shard = json(await validateModel({ model: meanRgb, data, preprocess: 'raw255', threads: 1, limit: 30, shard: { index: 2, count: 3 } }));
    expect(() => checkBaseline(base, shard, 'base.json')).toThrow(
      "base.json measured 30 images (0–29 of 30) but this run measures 10 images (10–19 of 30); use the baseline's --limit and --shard or regenerate it with this run's.");

    const unit = json(await validateModel({ model: meanRgb, data, preprocess: 'unit', threads: 1, limit: 30 }));
    expect(() => checkBaseline(base, unit, 'base.json')).toThrow(
      'base.json used preprocessing [{"name":"raw255","scale":1,"mean":[0],"std":[1]},null] but this run uses [{"name":"unit","scale":0.00392156862745098,"mean":[0],"std":[1]},null]; pass the baseline\'s --preprocess/--mean/--std/--size/--crop or regenerate the baseline with this run\'s.');
  });
});
