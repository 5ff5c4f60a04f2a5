/**
 * End to end on real data: akamaster's published ResNet-20 weights (../shared, legacy torch.save,
 * keys prefixed `module.`) applied onto the random-weight ONNX graph of test-fixtures/resnet20
 * reproduce the reference float logits on CIFAR-10 test images 0–999 (cifar-torchvision), and the
 * post-training 1-bit conversions (he and BWN scales, all layers or all but the first conv and the
 * final linear) reproduce the reference post-training-binarization numbers — and warn.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '@onebit/data';
import { encodeModel } from '@onebit/onnx';
import { applyStateDict, type LayerPolicy } from '@onebit/onnx-binarize';
import { readTorch } from '@onebit/pytorch';
import { decodeModel } from '@onebit/onnx';
import { readCifar, readNpy, validateModel, type ValidationReport } from '@onebit/validate';
import type { ScaleRule } from '@onebit/binarize';
import { convertSync } from './convert.js';

/** The spine issue's parity bound: max |Δlogit| ≤ 1e-3 × the largest |reference logit|. */
const MAX_RELATIVE_LOGIT_DIFF = 1e-3;

const read = (p: string) => new Uint8Array(readFileSync(p));
const th = read(sharedPath('models/akamaster-resnet20-cifar10/resnet20-12fca82f.th'));
const graph = read(new URL('../../../test-fixtures/resnet20/resnet20.onnx', import.meta.url).pathname);
const data = readCifar(read(sharedPath('datasets/cifar10/test_batch_0-999.bin')));
const reference = (name: string) => readNpy(read(sharedPath(`reference/${name}_cifar10-test-0-999_logits.npy`)));

async function validate(model: Uint8Array, ref: string): Promise<ValidationReport> {
  return validateModel({ model, data, preprocess: 'cifar-torchvision', runtime: 'node', batchSize: 250, reference: reference(ref) });
}

describe('ResNet-20 weights applied onto the exported graph', () => {
  it('matches all 97 state_dict tensors by name after stripping module.', () => {
    const { match } = applyStateDict(decodeModel(graph), readTorch(th).tensors);
    expect(match.assignments).toHaveLength(97);
    expect(match.prefix).toEqual({ stateDict: 'module.', graph: '' });
    expect(match.assignments.every((a) => a.rule === 'prefix')).toBe(true);
    expect(match.unusedKeys).toEqual([]);
    expect(match.mismatches).toEqual([]);
  });

  it('gives the reference float predictions: 8.50 % top-1 error, 1000/1000 agreement', async () => {
    const { model } = applyStateDict(decodeModel(graph), readTorch(th).tensors);
    const r = await validate(encodeModel(model), 'akamaster-resnet20');
    expect(r.top1Error).toBeCloseTo(0.085, 10);
    expect(r.top5Error).toBeCloseTo(0.002, 10);
    expect(r.agreement).toBe(1);
    expect(r.maxAbsLogitDiff!).toBeLessThanOrEqual(MAX_RELATIVE_LOGIT_DIFF * r.maxAbsReferenceLogit!);
  });

  it('--keep "*" is refused (nothing binarized), and with --allow-none is the same float model (no warning)', () => {
    expect(() => convertSync(th, { fileName: 'resnet20-12fca82f.th', graph, includeGemm: true, policy: { keep: ['*'] } })).toThrow(
      /^No weight was binarized: all 20 weights were kept \('conv1\.weight' \(Conv\): --keep '\*';.*; change the rules or pass --allow-none to write the model unchanged\.$/,
    );
    const out = convertSync(th, { fileName: 'resnet20-12fca82f.th', graph, includeGemm: true, allowNone: true, policy: { keep: ['*'] } });
    expect(out.report.binarization!.kept).toBe(20);
    expect(out.report.binarization!.warning).toBeUndefined();
  });
});

const CASES: { ref: string; scale: ScaleRule; policy: LayerPolicy; binarized: number; top1: number; top5: number }[] = [
  { ref: 'akamaster-resnet20-binarized-he-all', scale: 'he', policy: {}, binarized: 20, top1: 0.896, top5: 0.457 },
  { ref: 'akamaster-resnet20-binarized-he-allbutends', scale: 'he', policy: { keepFirst: true, keepLast: true }, binarized: 18, top1: 0.871, top5: 0.452 },
  { ref: 'akamaster-resnet20-binarized-bwn-all', scale: 'mean-abs', policy: {}, binarized: 20, top1: 0.894, top5: 0.466 },
  { ref: 'akamaster-resnet20-binarized-bwn-allbutends', scale: 'mean-abs', policy: { keepFirst: true, keepLast: true }, binarized: 18, top1: 0.879, top5: 0.452 },
];

describe('post-training binarization of ResNet-20 (packed ONNX)', () => {
  for (const c of CASES) {
    it(`${c.ref}: ${(100 * c.top1).toFixed(2)} % top-1 error like the reference, with the not-trained warning`, async () => {
      const out = convertSync(th, { fileName: 'resnet20-12fca82f.th', graph, includeGemm: true, scale: c.scale, policy: c.policy });
      expect(out.report.binarization!.binarized).toBe(c.binarized);
      expect(out.report.binarization!.warning?.kind).toBe('not-trained-for-1-bit');
      const r = await validate(out.bytes, c.ref);
      expect(r.top1Error).toBeCloseTo(c.top1, 10);
      expect(r.top5Error).toBeCloseTo(c.top5, 10);
      expect(r.agreement).toBe(1);
      expect(r.maxAbsLogitDiff!).toBeLessThanOrEqual(MAX_RELATIVE_LOGIT_DIFF * r.maxAbsReferenceLogit!);
    });
  }
});
