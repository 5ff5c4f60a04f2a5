/**
 * Tests of inspectModel on real files: the published ResNet-20 checkpoint (legacy torch.save) shows
 * its 97 state_dict tensors and best_prec1; an ONNX model with external data is sized from shapes
 * and says where the bytes are, without loading them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '@onebit/data';
import { decodeModel, encodeModel } from '@onebit/onnx';
import { inspectModel } from './inspect.js';

describe('inspectModel', () => {
  it('describes the published ResNet-20 checkpoint', () => {
    const info = inspectModel(new Uint8Array(readFileSync(sharedPath('models/akamaster-resnet20-cifar10/resnet20-12fca82f.th'))), 'resnet20-12fca82f.th');
    expect(info.format).toBe('torch-legacy');
    expect(info.tensors).toHaveLength(97);
    expect(info.metadata['stateDictKey']).toBe('state_dict');
    expect(info.metadata['best_prec1']).toBeCloseTo(91.78, 5);
    expect(info.lines).toContain('metadata     best_prec1 = 91.78000183105469');
    expect(info.tensors[0]).toMatchObject({ name: 'module.conv1.weight', dtype: 'float32', dims: [16, 3, 3, 3], bytes: 1728, binarization: 'would-binarize' });
  });

  it('sizes external-data initializers from their shape and names the file', () => {
    const m = decodeModel(new Uint8Array(readFileSync(new URL('../../../test-fixtures/mnist-1bit/mnist-1bit.onnx', import.meta.url))));
    const conv3 = m.graph.initializers.find((i) => i.name === 'conv3.weight')!;
    conv3.tensor = { ...conv3.tensor, data: new Float32Array(0) } as typeof conv3.tensor;
    conv3.externalData = { location: 'model.data', offset: 0 };
    const info = inspectModel(encodeModel(m), 'ext.onnx');
    const t = info.tensors.find((x) => x.name === 'conv3.weight')!;
    expect(t).toEqual({ name: 'conv3.weight', dtype: 'float32', dims: [10, 32, 7, 7], bytes: 62_720, binarization: 'would-binarize', external: 'model.data' });
    expect(info.lines.find((l) => l.includes('conv3.weight'))).toMatch(/62,720 B {2}in model\.data; would binarize$/);
  });
});
