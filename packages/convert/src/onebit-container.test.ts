/**
 * Round trips of every model family through the .onebit container (version 2: deflated ONNX
 * skeleton + bit sections + pooled float32): for each, input → .onebit → .onnx is byte-identical to
 * input → .onnx (packed and float), and the ONNX written back converts to the same container bytes.
 * Families: the ResNet-20 state_dict on its exported graph (20 binary weights, fc binarized too), the
 * MNIST fixture's ONNX (already ±a) and its torch state_dict; the authors' WRNs are in
 * container-convert.test.ts. Also: a damaged container's pieces are named, and a version-1 WRN
 * container is refused with a sentence saying what to do.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readContainer, writeContainer } from '@onebit/container';
import { ModelError, UnsupportedError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { convertSync, type ConvertOptions } from './convert.js';
import { containerToGraph, graphToContainer } from './onebit-container.js';

const fixture = (path: string) => new Uint8Array(readFileSync(new URL(`../../../test-fixtures/${path}`, import.meta.url)));
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

const families: [string, Uint8Array, ConvertOptions, number][] = [
  ['ResNet-20 state_dict on its ONNX graph', new Uint8Array(readFileSync(sharedPath('models/akamaster-resnet20-cifar10/resnet20-12fca82f.th'))), { graph: fixture('resnet20/resnet20.onnx'), includeGemm: true, fileName: 'resnet20-12fca82f.th' }, 268_336],
  ['MNIST fixture ONNX (weights already ±a)', fixture('mnist-1bit/mnist-1bit.onnx'), {}, 20_432],
  ['MNIST fixture torch state_dict on its graph', fixture('mnist-1bit/mnist-1bit.pt'), { graph: fixture('mnist-1bit/mnist-1bit.onnx') }, 20_432],
];

describe.each(families)('%s through the container', (_, input, options, binaryWeights) => {
  const onebit = convertSync(input, { ...options, to: 'onebit' });

  it('stores the binary weights as bit sections beside the graph skeleton', () => {
    const c = readContainer(onebit.bytes);
    expect(c.model['kind']).toBe('onnx-skeleton');
    expect(c.tensors.reduce((n, t) => n + (t.role === 'binary-weight' ? t.weight.dims.reduce((a, b) => a * b, 1) : 0), 0)).toBe(binaryWeights);
    expect(onebit.summary.binaryWeights).toBe(binaryWeights);
  });

  it.each(['packed', 'float'] as const)('reads back to the same %s ONNX bytes as a direct conversion, and that ONNX back to the same container', (weights) => {
    const direct = convertSync(input, { ...options, weights });
    const via = convertSync(onebit.bytes, { weights });
    expect(same(via.bytes, direct.bytes)).toBe(true);
    // converted back with the same flags (a float fc weight is binarized only with --include-gemm)
    expect(same(convertSync(via.bytes, { to: 'onebit', ...(options.includeGemm ? { includeGemm: true } : {}) }).bytes, onebit.bytes)).toBe(true);
  });
});

describe('reading a container', () => {
  const onebit = convertSync(fixture('mnist-1bit/mnist-1bit.onnx'), { to: 'onebit' });

  it('EXPECTED FAILURE: names a binary tensor no initializer refers to, and a missing one', () => {
    const c = readContainer(onebit.bytes);
    const extra = { ...c, tensors: [...c.tensors, { name: 'stray', role: 'binary-weight' as const, weight: { dims: [8], bits: new Uint8Array(1), scale: 1 } }] };
    expect(() => containerToGraph(readContainer(writeContainer(extra)))).toThrow(new ModelError("Container tensor 'stray' belongs to no initializer of the graph.", 'stray'));
    const missing = { ...c, tensors: c.tensors.filter((t) => t.name !== 'conv2.weight') };
    expect(() => containerToGraph(missing)).toThrow(new ModelError("Initializer 'conv2.weight' refers to container tensor 'conv2.weight', which the container does not hold.", 'conv2.weight'));
  });

  it('EXPECTED FAILURE: refuses a version-1 WRN container with what to do instead', () => {
    const v1 = writeContainer({ model: { kind: 'onebit-wrn', layers: [] }, tensors: [] });
    expect(() => convertSync(v1, { fileName: 'old.onebit' })).toThrow(new UnsupportedError('This .onebit file is a version-1 WRN container, which this onebit no longer reads; convert the original .mat file again.'));
  });

  it('writes version 2 (deflated graph) and keeps the skeleton a valid ONNX model with external references', () => {
    expect(new DataView(onebit.bytes.buffer, onebit.bytes.byteOffset).getUint32(8, true)).toBe(2);
    const graph = containerToGraph(readContainer(onebit.bytes));
    expect([...graph.weights.keys()]).toEqual(['conv1.weight', 'conv2.weight', 'conv3.weight']);
    expect(same(writeContainer(graphToContainer(graph)), onebit.bytes)).toBe(true);
  });
});
