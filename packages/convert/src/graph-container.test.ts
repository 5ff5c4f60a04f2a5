/**
 * Any binarized ONNX graph through the .onebit container: the real ResNet-20 state_dict applied
 * onto the fixture graph and binarized, stored as a container (graph skeleton + 20 binary weights),
 * and read back to ONNX, packed and float, byte-identical to converting directly.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readContainer } from '@onebit/container';
import { sharedPath } from '@onebit/data';
import { containerToOnnx, graphResultToContainer } from './container-convert.js';
import { convertGraphModelSync } from './convert-graph.js';

const checkpoint = new Uint8Array(readFileSync(sharedPath('models/akamaster-resnet20-cifar10/resnet20-12fca82f.th')));
const graph = new Uint8Array(readFileSync(fileURLToPath(new URL('../../../test-fixtures/resnet20/resnet20.onnx', import.meta.url))));

describe('a binarized ResNet-20 graph in the .onebit container', () => {
  const convert = (weights: 'packed' | 'float') => convertGraphModelSync(checkpoint, 'torch-legacy', { graph, weights, includeGemm: true, fileName: 'resnet20-12fca82f.th' });
  const { bytes } = graphResultToContainer(convert('packed'), 'resnet20-12fca82f.th');

  it('stores the 20 binary weights (268,336 signs) beside the graph skeleton', () => {
    const c = readContainer(bytes);
    expect(c.model['kind']).toBe('onebit-onnx-graph');
    expect(c.tensors).toHaveLength(20);
    expect(c.tensors.reduce((n, t) => n + (t.role === 'binary-weight' ? t.weight.dims.reduce((a, b) => a * b, 1) : 0), 0)).toBe(268_336);
  });

  it.each(['packed', 'float'] as const)('reads back to the same %s ONNX bytes as a direct conversion', (weights) => {
    expect(Buffer.from(containerToOnnx(bytes, { weights }).bytes).equals(Buffer.from(convert(weights).bytes))).toBe(true);
  });
});
