/**
 * Tests of readTorch on the generated fixtures (every tensor equals the bytes PyTorch saved, in
 * both formats), on the real legacy ResNet-20 checkpoint in shared/, and on wrong, truncated and
 * corrupt files (EXPECTED FAILURE: typed one-sentence errors).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { FormatError, LimitError, ModelError, OnebitError, type Tensor, UnsupportedError, WrongFileError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readTorch, sniffTorch, stripPrefix } from './checkpoint.js';

const dir = new URL('../../../test-fixtures/pytorch/', import.meta.url);
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, dir)));
interface GoldenTensor { dtype: string; shape: number[]; hex: string; sum: number }
const golden = JSON.parse(readFileSync(new URL('golden.json', dir), 'utf8')) as Record<string, { format: string; tensors: Record<string, GoldenTensor>; metadata: Record<string, unknown> }>;
const hex = (t: Tensor): string => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex');
/** What reading `bytes` with byte `i` flipped gives: 'read', 'changed values' (vs `reference`), an error class name or 'untyped error'. */
function outcome(bytes: Uint8Array, i: number, reference: Map<string, Tensor> | undefined): string {
  const bad = bytes.slice();
  bad[i] = bad[i]! ^ 0xa5;
  let tensors: Map<string, Tensor>;
  try {
    tensors = readTorch(bad).tensors;
  } catch (error) {
    return error instanceof OnebitError ? error.constructor.name : 'untyped error';
  }
  if (!reference) return 'read';
  const same = tensors.size === reference.size &&
    [...reference].every(([k, t]) => tensors.get(k)?.dtype === t.dtype && String(tensors.get(k)?.dims) === String(t.dims) && hex(tensors.get(k)!) === hex(t));
  return same ? 'read' : 'changed values';
}

/** `{'w': tensor([1., 2., 3., 4.])}` as torch.save writes it (protocol 2, one FloatStorage), zipped stored and deflated. */
function smallZips(): Uint8Array[] {
  const pickle = Uint8Array.from(
    '\x80\x02}X\x01\x00\x00\x00wctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x04tQK\x00K\x04\x85K\x01\x85\x89ccollections\nOrderedDict\n)RtRs.',
    (c) => c.charCodeAt(0),
  );
  const files = { 'archive/data.pkl': pickle, 'archive/data/0': new Uint8Array(Float32Array.from([1, 2, 3, 4]).buffer), 'archive/version': new TextEncoder().encode('3\n') };
  return [zipSync(files, { level: 0 }), zipSync(files, { level: 6 })];
}

const torchFiles = Object.keys(golden).filter((n) => n.endsWith('.pt'));

describe('readTorch on fixtures', () => {
  it('reads fixtures whose bytes match SHA256SUMS', () => {
    const lines = readFileSync(new URL('SHA256SUMS', dir), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(25);
    for (const line of lines) {
      const [sum, name] = line.split(/\s+/);
      expect(createHash('sha256').update(fixture(name!)).digest('hex'), name).toBe(sum);
    }
  });
  it('covers both formats', () => {
    expect(torchFiles.filter((n) => golden[n]!.format === 'torch-zip').length).toBeGreaterThanOrEqual(6);
    expect(torchFiles.filter((n) => golden[n]!.format === 'torch-legacy').length).toBeGreaterThanOrEqual(6);
  });
  for (const name of torchFiles) {
    it(`${name} reads to exactly the tensors PyTorch saved`, () => {
      const want = golden[name]!;
      const bytes = fixture(name);
      expect(sniffTorch(bytes)).toBe(want.format);
      const ckpt = readTorch(bytes, { name });
      expect(ckpt.format).toBe(want.format);
      expect([...ckpt.tensors.keys()]).toEqual(Object.keys(want.tensors));
      for (const [key, g] of Object.entries(want.tensors)) {
        const t = ckpt.tensors.get(key)!;
        expect({ key, dtype: t.dtype, dims: t.dims, hex: hex(t) }).toEqual({ key, dtype: g.dtype, dims: g.shape, hex: g.hex });
        expect(t.data.length).toBe(g.shape.reduce((a, b) => a * b, 1));
      }
      expect(ckpt.metadata).toEqual(want.metadata);
    });
  }

  it('finds the state_dict inside a training checkpoint and reports the scalars around it', () => {
    const ckpt = readTorch(fixture('checkpoint-dp.legacy.pt'));
    expect(ckpt.stateDictKey).toBe('state_dict');
    expect(ckpt.metadata).toEqual({ epoch: 3, arch: 'tiny', best_prec1: 91.5, is_best: true });
    expect([...ckpt.tensors.keys()].every((k) => k.startsWith('module.'))).toBe(true);
    const root = ckpt.root as Map<string, unknown>;
    expect(root.get('optimizer')).toEqual(new Map<unknown, unknown>([['state', new Map()], ['param_groups', [new Map<unknown, unknown>([['lr', 0.1], ['momentum', 0.9], ['params', [0, 1, 2]]])]]]));
  });

  it('keeps float16, bfloat16, int64 and bool values exact', () => {
    const { tensors } = readTorch(fixture('dtypes.zip.pt'));
    expect(tensors.get('f16')!.data).toEqual(new Uint16Array([0x2e66, 0xfbff, 0x0001, 0x3c00, 0x8000]));
    expect(tensors.get('i64')!.data).toEqual(new BigInt64Array([2n ** 62n + 1n, -(2n ** 63n), -1n, 0n, 42n]));
    expect(tensors.get('bool')!).toEqual({ dtype: 'bool', dims: [2, 3], data: new Uint8Array([1, 0, 1, 0, 0, 1]) });
    expect(tensors.get('scalar')!).toEqual({ dtype: 'float32', dims: [], data: new Float32Array([2.5]) });
    expect(tensors.get('empty')!.dims).toEqual([0, 3]);
  });

  it('copies non-contiguous views out of shared storages', () => {
    const { tensors } = readTorch(fixture('views.legacy.pt'));
    expect([...tensors.get('transposed')!.data]).toEqual([0, 6, 12, 18, 1, 7, 13, 19, 2, 8, 14, 20, 3, 9, 15, 21, 4, 10, 16, 22, 5, 11, 17, 23]);
    expect([...tensors.get('sliced')!.data]).toEqual([8, 9, 10, 14, 15, 16, 20, 21, 22]);
    expect([...tensors.get('stepped')!.data]).toEqual([0, 3, 12, 15]);
    expect([...tensors.get('expanded')!.data]).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
    const a = tensors.get('shared_a')!.data as Float32Array;
    const b = tensors.get('shared_b')!.data as Float32Array;
    expect([a[2], a[3]]).toEqual([b[0], b[1]]);
    expect(a.buffer).not.toBe(b.buffer);
  });

  it('stripPrefix removes DataParallel\'s module. and refuses collisions', () => {
    const { tensors } = readTorch(fixture('checkpoint-dp.zip.pt'));
    const plain = readTorch(fixture('tiny-cnn.zip.pt')).tensors;
    expect([...stripPrefix(tensors).keys()]).toEqual([...plain.keys()]);
    const clash = new Map([['module.a', 1], ['a', 2]]);
    expect(() => stripPrefix(clash)).toThrow(ModelError);
    expect(() => stripPrefix(clash)).toThrow("stripping 'module.' makes two tensors named 'a'.");
  });
});

describe('readTorch on the real akamaster ResNet-20 legacy checkpoint', () => {
  const path = sharedPath('models/akamaster-resnet20-cifar10/resnet20-12fca82f.th');
  it.skipIf(!existsSync(path))('reads 97 tensors under state_dict with module. prefixes and best_prec1', () => {
    const bytes = new Uint8Array(readFileSync(path));
    expect(sniffTorch(bytes)).toBe('torch-legacy');
    const ckpt = readTorch(bytes);
    expect(ckpt.format).toBe('torch-legacy');
    expect(ckpt.stateDictKey).toBe('state_dict');
    expect(ckpt.tensors.size).toBe(97);
    expect([...ckpt.tensors.keys()].every((k) => k.startsWith('module.'))).toBe(true);
    // Values from torch.load (torch 1.13): best_prec1 is a Python float.
    expect(ckpt.metadata).toEqual({ best_prec1: 91.78000183105469 });
    const sum = (t: Tensor): number => [...(t.data as Float32Array)].reduce((a, b) => a + b, 0);
    const conv1 = ckpt.tensors.get('module.conv1.weight')!;
    expect(conv1.dims).toEqual([16, 3, 3, 3]);
    expect(conv1.dtype).toBe('float32');
    expect([...conv1.data.subarray(0, 3)]).toEqual([-0.13818146288394928, -0.1624176800251007, 0.8207383155822754]);
    expect(sum(conv1)).toBeCloseTo(1.3100982000032673, 4);
    const bn1 = ckpt.tensors.get('module.bn1.weight')!;
    expect([...bn1.data.subarray(0, 3)]).toEqual([0.610402524471283, 0.6625514626502991, 0.6353647708892822]);
    expect(sum(bn1)).toBeCloseTo(9.226966533155064, 4);
    expect(sum(ckpt.tensors.get('module.bn1.bias')!)).toBeCloseTo(4.791820557788014, 4);
    expect(stripPrefix(ckpt.tensors).has('conv1.weight')).toBe(true);
  });
});

describe('EXPECTED FAILURE: wrong, truncated and corrupt files', () => {
  const oneSentence = (fn: () => unknown, type: new (...args: never[]) => Error): string => {
    let caught: unknown;
    try {
      fn();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(type);
    const message = (caught as Error).message;
    expect(message).toMatch(/[.)]$/);
    expect(message.split(/\.\s+[A-Z]/).length).toBe(1);
    return message;
  };

  it('names empty files, Git LFS pointers, HTML pages and other formats', () => {
    expect(oneSentence(() => readTorch(new Uint8Array(0), { name: 'model.pt' }), WrongFileError)).toBe('model.pt is empty (0 bytes).');
    const lfs = new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 1099231\n');
    expect(oneSentence(() => readTorch(lfs), WrongFileError)).toContain('Git LFS pointer to a 1099231-byte object');
    const html = new TextEncoder().encode('<!DOCTYPE html><html><body>Not found</body></html>');
    expect(oneSentence(() => readTorch(html), WrongFileError)).toContain('HTML page');
    expect(oneSentence(() => readTorch(fixture('tiny.safetensors')), WrongFileError)).toBe('The file is a safetensors file, not a torch.save file; read it with readSafetensors.');
    expect(oneSentence(() => readTorch(fixture('plain-data.p2.pkl')), WrongFileError)).toContain('plain pickle');
    const tar = new Uint8Array(1024);
    tar.set(new TextEncoder().encode('ustar'), 257);
    tar[0] = 0x61;
    expect(oneSentence(() => readTorch(tar), UnsupportedError)).toContain('tar archive');
  });

  it('refuses random bytes without guessing', () => {
    let seed = 12345;
    const random = new Uint8Array(4096).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24));
    expect(sniffTorch(random)).toBeUndefined();
    expect(oneSentence(() => readTorch(random), WrongFileError)).toMatch(/^The file is not a PyTorch checkpoint: it starts with bytes [0-9a-f ]+, neither a zip archive nor the legacy torch magic number\.$/);
  });

  it('refuses a zip archive that is not a torch.save file', () => {
    const zip = fixture('tiny-cnn.deflated.pt');
    const renamed = zip.slice();
    // Rename every "data.pkl" in local and central headers to "data.pkx".
    for (let i = 0; i + 8 <= renamed.length; i++) if (String.fromCharCode(...renamed.subarray(i, i + 8)) === 'data.pkl') renamed[i + 7] = 0x78;
    expect(sniffTorch(renamed)).toBeUndefined();
    expect(oneSentence(() => readTorch(renamed), WrongFileError)).toContain("The zip archive has no data.pkl entry (it lists 14 entries: 'my_model/data.pkx'");
  });

  for (const name of ['tiny-cnn.zip.pt', 'tiny-cnn.legacy.pt', 'tiny-cnn.deflated.pt', 'tiny-cnn.proto4.legacy.pt', 'views.legacy.pt']) {
    it(`${name} truncated anywhere gives a typed error`, () => {
      const bytes = fixture(name);
      const cuts = [1, 2, 10, 15, 30, 100, 137, 400, Math.floor(bytes.length / 2), bytes.length - 100, bytes.length - 9, bytes.length - 1];
      for (const cut of cuts) {
        let caught: unknown;
        try {
          readTorch(bytes.subarray(0, cut));
        } catch (error) {
          caught = error;
        }
        expect(caught, `cut at ${cut}`).toBeInstanceOf(OnebitError);
        expect((caught as Error).message, `cut at ${cut}`).toMatch(/^[^\n]+[.)]$/);
      }
    });
  }

  it('says where a legacy file was truncated', () => {
    const bytes = fixture('tiny-cnn.legacy.pt');
    const message = oneSentence(() => readTorch(bytes.subarray(0, bytes.length - 1)), FormatError);
    expect(message).toMatch(/^torch-legacy: data of storage '\d+' \(\d+ × float32\) at byte \d+ needs \d+ bytes but only \d+ remain \(file truncated\?\)\.$/);
  });

  it('legacy files (no checksum in the format): a corrupted byte gives a typed error or a read, never a crash', () => {
    const bytes = fixture('tiny-cnn.legacy.pt');
    const outcomes = new Map<string, number>();
    for (let i = 0; i < bytes.length; i += 21) {
      const kind = outcome(bytes, i, undefined);
      outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1);
    }
    expect([...outcomes.keys()].every((k) => k === 'read' || k.endsWith('Error'))).toBe(true);
    expect(outcomes.get('untyped error')).toBeUndefined();
    expect(outcomes.get('FormatError')! > 0).toBe(true);
  });

  it('torch zips: every single-byte corruption gives a typed error or identical tensors (each entry CRC-32 is checked)', () => {
    // issue 11: of these 742 corruptions of tiny-cnn.zip.pt, 226 used to change tensor values silently
    for (const [bytes, step, label] of [[fixture('tiny-cnn.zip.pt'), 7, 'tiny-cnn.zip.pt'], ...smallZips().map((z, k) => [z, 1, `one-tensor zip ${k}`] as const)] as const) {
      const reference = readTorch(bytes).tensors;
      if (step === 1) expect(reference).toEqual(new Map([['w', { dtype: 'float32', dims: [4], data: Float32Array.from([1, 2, 3, 4]) }]]));
      const outcomes = new Map<string, number>();
      for (let i = 0; i < bytes.length; i += step) {
        const kind = outcome(bytes, i, reference);
        outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1);
      }
      expect(outcomes.get('changed values'), label).toBeUndefined();
      expect(outcomes.get('untyped error'), label).toBeUndefined();
      expect(outcomes.get('ChecksumError')! > 0, label).toBe(true);
    }
  });

  it('refuses views that materialise beyond maxTensorBytes and deflated entries beyond maxInflatedBytes, naming the option', () => {
    expect(() => readTorch(fixture('views.zip.pt'), { maxTensorBytes: 100 })).toThrow(LimitError);
    expect(() => readTorch(fixture('views.zip.pt'), { maxTensorBytes: 100 })).toThrow("torch-zip: tensor 'transposed' of shape 6×4 (float32) would take 96 bytes, beyond the 4 bytes left of the 100-byte limit (maxTensorBytes); pass a larger maxTensorBytes option to the reader (--max-tensor-bytes on the command line) if the file is trusted.");
    expect(() => readTorch(fixture('tiny-cnn.deflated.pt'), { maxInflatedBytes: 1000 })).toThrow(
      "torch-zip: the deflated entries inflate to more than the 1000-byte limit (maxInflatedBytes; entry 'my_model/data.pkl' declares 1134), refusing a possible zip bomb; pass a larger maxInflatedBytes option to the reader (--max-inflated-bytes on the command line) if the file is trusted.");
    // torch.save stores its entries: their bytes are the file's own and are not counted as inflated
    expect(readTorch(fixture('tiny-cnn.zip.pt'), { maxInflatedBytes: 1000 }).tensors).toEqual(readTorch(fixture('tiny-cnn.zip.pt')).tensors);
  });
});
