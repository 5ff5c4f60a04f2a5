/**
 * Tests of inspectModel on real files: the published ResNet-20 checkpoint (legacy torch.save) shows
 * its 97 state_dict tensors and best_prec1; an ONNX model with external data is sized from shapes
 * and says where the bytes are, without loading them; a binary-wide-resnet checkpoint is named with
 * its depth, width, classes and which convs are binary; in a converted (packed ONNX or .onebit) model
 * only the binary weights' sign bits are called binary, never batch-norm vectors or other tensors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '@onebit/data';
import { decodeModel, encodeModel } from '@onebit/onnx';
import { inspectModel } from './inspect.js';
import { convertSync } from './convert.js';

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

  it('names a binary-wide-resnet checkpoint: family, depth, width, classes, binary and float convs, latent zeros', () => {
    const fixture = (f: string) => new Uint8Array(readFileSync(new URL(`../../../test-fixtures/binary-wide-resnet/${f}`, import.meta.url)));
    const ckpt = inspectModel(fixture('wrn8-0.75-c10.checkpoint.pth.tar'), 'w.pth.tar');
    expect(ckpt.metadata['network']).toEqual({
      family: 'binary-wide-resnet', depth: 8, width: 0.75, classes: 10, stored: 'latent', binaryWeights: 41_472, latentZeros: 5,
      binaryConvs: ['group0.block0.conv0', 'group0.block0.conv1', 'group1.block0.conv0', 'group1.block0.conv1', 'group2.block0.conv0', 'group2.block0.conv1'],
      floatConvs: ['conv0', 'conv_last'],
    });
    expect(ckpt.lines).toContain('network      binary-wide-resnet: depth 8, width 0.75 (12/24/48 channels), 10 classes; training checkpoint (latent float weights); preprocess cifar-wrn');
    expect(ckpt.lines.find((l) => l.startsWith('sign(0)'))).toMatch(/^sign\(0\) {6}5 latent weights are exactly 0 \(group0\.block0\.conv0 2, group1\.block0\.conv0 1, group2\.block0\.conv1 2\)/);
    const verdict = (info: typeof ckpt, name: string) => info.tensors.find((t) => t.name === name)!.binarization;
    expect([verdict(ckpt, 'module.conv0'), verdict(ckpt, 'module.conv_last'), verdict(ckpt, 'module.group0.block0.conv0')]).toEqual(['keep', 'keep', 'would-binarize']);
    const packed = inspectModel(fixture('wrn14-0.5-c100.packed.pth.tar'), 'p.pth.tar');
    expect(packed.lines).toContain('network      binary-wide-resnet: depth 14, width 0.5 (8/16/32 channels), 100 classes; packed release (np.packbits sign bits); preprocess cifar-wrn');
    expect(verdict(packed, 'module.group2.block1.conv1')).toBe('binary');
    const broken = inspectModel(fixture('broken-misshaped.pth.tar'), 'b.pth.tar');
    expect(broken.lines).toContain("network      binary-wide-resnet, not convertible: b.pth.tar: tensor 'module.group2.block0.conv1' has shape [47, 6, 3, 3], but a binary-wide-resnet of depth 8, width 0.75 (12/24/48 channels) and 10 classes needs [48, 6, 3, 3] (np.packbits of 48 input channels along axis 1).");
  });

  it.each(['01-constant-node-weights/model.onnx', '03-fp16-weights/model.onnx', '07-convtranspose/model.onnx', '20-qonnx-bipolarquant/model.onnx'])('agrees with convert on what %s would binarize', (file) => {
    const bytes = new Uint8Array(readFileSync(sharedPath(`cases/convert/${file}`)));
    const info = inspectModel(bytes, file);
    const report = convertSync(bytes, { fileName: file }).report.binarization!;
    const verbs = { binarized: 'binarize', 'already-binary': 'binary', kept: 'keep' } as const;
    const planned = info.lines.filter((l) => /^ {2}(binarize|binary|keep) /.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '));
    expect(planned).toEqual(report.layers.map((l) => `${verbs[l.action]} ${l.name}`));
    for (const t of info.tensors) {
      const layer = report.layers.find((l) => l.name === t.name);
      const expected = layer?.action === 'binarized' ? 'would-binarize' : layer?.action === 'already-binary' ? 'binary' : 'keep';
      expect(t.binarization, t.name).toBe(expected);
    }
  });

  it('calls only the sign bits of a packed ONNX and the weights of a .onebit binary, not batch-norm vectors', () => {
    const mnist = new Uint8Array(readFileSync(new URL('../../../test-fixtures/mnist-1bit/mnist-1bit.onnx', import.meta.url)));
    const packed = inspectModel(convertSync(mnist, { fileName: 'mnist-1bit.onnx' }).bytes, 'm.onnx');
    const tensorRows = packed.lines.slice(packed.lines.findIndex((l) => l.startsWith('tensors')));
    expect(tensorRows.map((l) => l.replace(/ +/g, ' '))).toEqual([
      'tensors (16, 5,174 bytes):',
      ' onebit.bit_table int8 256×8 2,048 B',
      ' conv1.weight.bits uint8 18 18 B binary: sign bits of conv1.weight 16×1×3×3',
      ' conv1.weight.shape int64 4 32 B',
      ' conv1.weight.scale float32 scalar 4 B',
      ' bn1.running_mean float32 16 64 B',
      ' bn1.running_var float32 16 64 B',
      ' conv2.weight.bits uint8 576 576 B binary: sign bits of conv2.weight 32×16×3×3',
      ' conv2.weight.shape int64 4 32 B',
      ' conv2.weight.scale float32 scalar 4 B',
      ' bn2.running_mean float32 32 128 B',
      ' bn2.running_var float32 32 128 B',
      ' conv3.weight.bits uint8 1960 1,960 B binary: sign bits of conv3.weight 10×32×7×7',
      ' conv3.weight.shape int64 4 32 B',
      ' conv3.weight.scale float32 scalar 4 B',
      ' bn3.running_mean float32 10 40 B',
      ' bn3.running_var float32 10 40 B',
      'binarize convert would binarize 0, pack 3 already binary, keep 0 of 3 weights',
      ' binary conv1.weight Conv default; already ±a',
      ' binary conv2.weight Conv default; already ±a',
      ' binary conv3.weight Conv default; already ±a',
    ]);
    // The authors' plain net stores its input batch norm as C×1×1 vectors (bn1.a, bn1.b) and the
    // others as conv biases b1…b20 (pooled into onebit.float32 in the container): never binary. Its
    // packed ONNX holds all 20 weights' sign bits in one stacked tensor, pk.bits.
    const mat = new Uint8Array(readFileSync(sharedPath('models/mcdonnell-plain20-4-cifar100/CIFAR100_20-4-Plain_644kB.mat')));
    for (const to of ['onnx', 'onebit'] as const) {
      const info = inspectModel(convertSync(mat, { fileName: 'plain.mat', to }).bytes, `plain.${to}`);
      const binary = info.tensors.filter((t) => t.binarization === 'binary').map((t) => t.name);
      expect(binary, to).toEqual(to === 'onnx' ? ['pk.bits'] : Array.from({ length: 20 }, (_, i) => `w${i + 1}`));
      if (to === 'onnx') expect(info.lines.find((l) => l.trimStart().startsWith('pk.bits '))).toMatch(/binary: sign bits of 20 weights w1 … w20, stacked, elements 4303552$/);
      expect(info.tensors.filter((t) => t.binarization !== 'binary').every((t) => t.binarization === 'keep'), to).toBe(true);
      if (to === 'onnx') expect(info.lines.find((l) => l.trimStart().startsWith('bn1.a '))).toMatch(/^ {2}bn1\.a +float32 +3×1×1 +12 B$/);
    }
  });
});
