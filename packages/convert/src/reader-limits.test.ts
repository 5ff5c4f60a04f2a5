/**
 * The `limits` option of convert/convertSync and inspectModel reaches every reader they call: MAT,
 * ONNX (the input and the --graph model), PyTorch zip and safetensors. Each is lowered below what a
 * small real file needs and must refuse it with the reader's LimitError naming the option and the
 * CLI flag; the same file passes with the defaults or with the limit raised.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LimitError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { readTorch } from '@onebit/pytorch';
import { convertSync } from './convert.js';
import { inspectModel } from './inspect.js';
import type { ImportInput } from './importers/importer.js';
import { stateDictOf } from './importers/state-dict.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../test-fixtures/mnist-1bit/${name}`, import.meta.url)));
const onnx = fixture('mnist-1bit.onnx');
const pt = fixture('mnist-1bit.pt');
const plainMat = new Uint8Array(readFileSync(sharedPath('models/mcdonnell-plain20-4-cifar100/CIFAR100_20-4-Plain_644kB.mat')));
const TENSOR_HINT = 'pass a larger maxTensorBytes option to the reader (--max-tensor-bytes on the command line) if the file is trusted.';
const INFLATE_HINT = 'pass a larger maxInflatedBytes option to the reader (--max-inflated-bytes on the command line) if the file is trusted.';

/** A one-tensor safetensors file: 8-byte little-endian header length, JSON header, 4 float32 values. */
function safetensors(): Uint8Array {
  const json = new TextEncoder().encode('{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}');
  const bytes = new Uint8Array(8 + json.length + 16);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  bytes.set(new Uint8Array(new Float32Array([1, -1, 1, -1]).buffer), 8 + json.length);
  return bytes;
}

/** The LimitError `fn` throws (failing the test when it throws nothing or something else). */
function limitError(fn: () => unknown): LimitError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LimitError);
    return e as LimitError;
  }
  throw new Error('expected a LimitError, but nothing was thrown');
}

describe('convert limits reach every reader', () => {
  it('MAT: maxTensorBytes and maxInflatedBytes', () => {
    expect(limitError(() => convertSync(plainMat, { limits: { maxTensorBytes: 65536 } })).message).toMatch(/would take 36864 bytes, beyond the 18128 bytes left of the 65536-byte limit \(maxTensorBytes\); /);
    expect(limitError(() => convertSync(plainMat, { limits: { maxTensorBytes: 65536 } })).message.endsWith(TENSOR_HINT)).toBe(true);
    expect(limitError(() => convertSync(plainMat, { limits: { maxInflatedBytes: 65536 } })).message).toBe(
      `MAT: compressed variable "BooleanSingleBitWeights" at byte 21916 inflates past the 65536-byte limit (maxInflatedBytes) on top of the 49408 bytes earlier compressed variables inflated to; ${INFLATE_HINT}`,
    );
    expect(convertSync(plainMat, { limits: { maxTensorBytes: 64 * 1024 ** 2, maxInflatedBytes: 64 * 1024 ** 2 } }).summary.binaryWeights).toBe(convertSync(plainMat).summary.binaryWeights);
  });

  it('ONNX input and --graph model: maxTensorBytes', () => {
    expect(limitError(() => convertSync(onnx, { fileName: 'm.onnx', limits: { maxTensorBytes: 10_000 } })).message).toMatch(/\(maxTensorBytes\); pass a larger maxTensorBytes option to the reader \(--max-tensor-bytes on the command line\) if the file is trusted\.$/);
    // the input is a PyTorch file, so an ONNX LimitError comes from the --graph model
    expect(limitError(() => convertSync(pt, { fileName: 'm.pt', graph: onnx, graphFileName: 'g.onnx', limits: { maxTensorBytes: 10_000 } })).message).toMatch(/^ONNX: tensor "conv2\.weight" .*\(maxTensorBytes\); /);
    expect(convertSync(onnx, { limits: { maxTensorBytes: 1024 ** 3 } }).bytes).toEqual(convertSync(onnx).bytes);
  });

  it('PyTorch zip state_dict (read after the graph) and safetensors: maxTensorBytes', () => {
    // The graph needs more (82 656 bytes) than the state_dict (82 216), so convert's state_dict reader is
    // checked through the ImportInput convert builds, and the graph and state_dict together at the smallest limit that passes.
    const input = (limits: { maxTensorBytes: number }): ImportInput => ({ bytes: pt, format: 'torch-zip', fileName: 'm.pt', options: {}, limits });
    expect(limitError(() => stateDictOf(input({ maxTensorBytes: 82_215 }))).message).toBe(
      `torch-zip: tensor 'bn3.num_batches_tracked' of shape scalar (int64) would take 8 bytes, beyond the 7 bytes left of the 82215-byte limit (maxTensorBytes); ${TENSOR_HINT}`,
    );
    expect(stateDictOf(input({ maxTensorBytes: 82_216 })).size).toBe(readTorch(pt).tensors.size);
    expect(limitError(() => convertSync(pt, { fileName: 'm.pt', graph: onnx, limits: { maxTensorBytes: 82_655 } })).message).toMatch(/^ONNX: /);
    expect(convertSync(pt, { fileName: 'm.pt', graph: onnx, limits: { maxTensorBytes: 82_656 } }).report.stateDict!.unusedKeys).toEqual([]);
    expect(limitError(() => inspectModel(pt, 'm.pt', { limits: { maxTensorBytes: 20_000 } })).message).toMatch(/^torch-zip: tensor '.*' of shape .* would take \d+ bytes, beyond .*\(maxTensorBytes\); pass a larger maxTensorBytes option/);
    expect(limitError(() => inspectModel(safetensors(), 'w.safetensors', { limits: { maxTensorBytes: 15 } })).message).toBe(
      `safetensors: tensor 'w' of shape [2, 2] (float32) would take 16 bytes, beyond the 15-byte limit (maxTensorBytes); ${TENSOR_HINT}`,
    );
    expect(inspectModel(safetensors(), 'w.safetensors', { limits: { maxTensorBytes: 16 } }).tensors.map((t) => t.bytes)).toEqual([16]);
  });

  it('inspectModel: MAT and ONNX', () => {
    expect(limitError(() => inspectModel(plainMat, 'p.mat', { limits: { maxInflatedBytes: 65536 } })).message.endsWith(INFLATE_HINT)).toBe(true);
    expect(limitError(() => inspectModel(onnx, 'm.onnx', { limits: { maxTensorBytes: 10_000 } })).message.endsWith(TENSOR_HINT)).toBe(true);
    expect(inspectModel(onnx, 'm.onnx', { limits: { maxTensorBytes: 1024 ** 3 } }).tensors).toHaveLength(9);
  });
});
