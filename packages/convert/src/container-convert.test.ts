/**
 * Round trips through the .onebit container on the authors' real models: .mat → .onebit → .onnx
 * gives byte-for-byte the ONNX that .mat → .onnx gives, and .onebit → .onnx → .onebit gives the
 * same container bytes, for packed and float ONNX (both WRNs and the plain net). The MATLAB
 * model's container size is pinned.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ChecksumError, OnebitError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { readContainer } from '@onebit/container';
import { convertSync, type ConvertOptions } from './convert.js';

const convertToContainer = (bytes: Uint8Array) => convertSync(bytes, { to: 'onebit' });
const convertToOnnx = (bytes: Uint8Array, options: ConvertOptions = {}) => convertSync(bytes, { ...options, to: 'onnx' });
const containerToOnnx = convertToOnnx;

const read = (p: string) => new Uint8Array(readFileSync(sharedPath(p)));
const MATLAB = 'models/mcdonnell-wrn20-10-cifar10/matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat';
const KERAS = 'models/mcdonnell-wrn20-10-cifar10/keras/CIFAR10_allparams.mat';
const PLAIN = 'models/mcdonnell-plain20-4-cifar100/CIFAR100_20-4-Plain_644kB.mat';

describe.each([
  ['MATLAB WRN', MATLAB],
  ['Keras WRN', KERAS],
  ['plain 20-4 net', PLAIN],
])('the %s through the container', (_, path) => {
  const mat = read(path);
  const onebit = convertToContainer(mat);

  it.each(['packed', 'float'] as const)('.mat → .onebit → .onnx (%s) equals .mat → .onnx byte for byte', (weights) => {
    expect(Buffer.from(containerToOnnx(onebit.bytes, { weights }).bytes).equals(Buffer.from(convertToOnnx(mat, { weights }).bytes))).toBe(true);
  });

  it.each(['packed', 'float'] as const)('.onebit → .onnx (%s) → .onebit is bit-exact', (weights) => {
    const onnx = containerToOnnx(onebit.bytes, { weights }).bytes;
    expect(Buffer.from(convertToContainer(onnx).bytes).equals(Buffer.from(onebit.bytes))).toBe(true);
  });
});

describe('the MATLAB WRN container', () => {
  const bytes = convertToContainer(read(MATLAB)).bytes;
  it('holds 20 binary weights and the 21 folded batch norms in 3,396,585 bytes (≤ 3,400,000)', () => {
    const c = readContainer(convertToContainer(bytes).bytes);
    expect(c.tensors.filter((t) => t.role === 'binary-weight')).toHaveLength(20);
    const bn = c.tensors.filter((t) => t.role === 'float');
    expect(bn.map((t) => t.role === 'float' && [t.name, t.tensor.dims, t.encoding])).toEqual([['onebit.float32', [2 * 6893], 'shuffle-deflate']]);
    // 1-bit floor 3,342,140 + 100 bytes of row padding (conv1's 27-bit rows) + 55,144 bytes of
    // batch norm deflated to ~45.7 KB + the deflated graph skeleton, header and alignment
    expect(bytes.length).toBe(3_396_585);
    expect(bytes.length).toBeLessThanOrEqual(3_400_000);
  });
  it('refuses a container with one flipped data byte', () => {
    const broken = bytes.slice();
    broken[2_000_000]! ^= 0x10; // inside a conv's sign bits
    expect(() => containerToOnnx(broken)).toThrow(ChecksumError);
    expect(() => containerToOnnx(broken.subarray(0, 5000))).toThrow(OnebitError);
  });
});

describe('containerToOnnx names the real input format', () => {
  it('a .mat is labelled a MAT-file, a .onebit a container (not both "container")', () => {
    const mat = read(MATLAB);
    expect(containerToOnnx(mat, { fileName: 'wrn.mat' }).summary.inputFormat).toBe('MATLAB MAT-file (level 5)');
    expect(containerToOnnx(convertToContainer(mat).bytes, { fileName: 'wrn.onebit' }).summary.inputFormat).toBe('onebit bit-packed container');
  });
});
