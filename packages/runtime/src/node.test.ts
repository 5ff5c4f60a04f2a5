/**
 * The Node entry on the real packed WRN-20-10: the first 20 CIFAR-10 test images classified through
 * @onebit/runtime give the same ranking and probabilities as onnxruntime-node run directly on the
 * same float input; encoded PNGs give the same answers as raw pixels; model info is the model's
 * own facts; loading from a file and from a loopback URL (with progress and the content-hash
 * cache); and the typed errors for a corrupt model, a wrong-size image, bad image bytes and a 404.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '@onebit/core';
import { decodeModel, encodeModel } from '@onebit/onnx';
import { FetchError, ImageDecodeError, InputSizeError, loadModel, ModelLoadError, type NodeModel } from './node.js';
import { softmax } from './ranking.js';
import { loadFixture, type Fixture } from './test-model.fixture.js';

let fx: Fixture;
let model: NodeModel;

beforeAll(async () => {
  fx = await loadFixture();
  // These tests compare with onnxruntime-node run directly, so they force onnxruntime.
  model = await loadModel(fx.model, { labels: fx.labels, cache: false, backend: 'onnxruntime' });
});
afterAll(() => model?.dispose());

describe('classify through @onebit/runtime (node)', () => {
  it('matches onnxruntime-node run directly on the same 20 images', async () => {
    const session = await ort.InferenceSession.create(fx.model, { intraOpNumThreads: 2, graphOptimizationLevel: 'all' });
    const input = Float32Array.from(fx.planar); // raw255: bytes as floats, planar NCHW
    const out = await session.run({ input: new ort.Tensor('float32', input, [20, 3, 32, 32]) });
    const logits = out['logits']!.data as Float32Array;
    await session.release();

    const ranked = await model.classifyBatch(fx.images, { topK: 10 });
    expect(ranked).toHaveLength(20);
    for (let i = 0; i < 20; i++) {
      const direct = softmax(logits, i * 10, 10);
      const order = Array.from(direct.keys()).sort((a, b) => direct[b]! - direct[a]! || a - b);
      expect(ranked[i]!.map((c) => c.index)).toEqual(order);
      ranked[i]!.forEach((c) => expect(c.probability).toBeCloseTo(direct[c.index]!, 12));
      expect(ranked[i]![0]!.label).toBe(fx.labels[order[0]!]);
    }
    // the authors' WRN classifies all of the first 20 test images correctly
    expect(ranked.map((r) => r[0]!.index)).toEqual(fx.trueLabels);
  });

  it('loads the .onebit container of the same model and classifies the 20 images identically', async () => {
    const { convertSync } = await import('@onebit/convert');
    const container = convertSync(fx.mat, { to: 'onebit' }).bytes;
    const fromContainer = await loadModel(container, { labels: fx.labels, cache: false, backend: 'onnxruntime' });
    try {
      expect(await fromContainer.classifyBatch(fx.images, { topK: 5 })).toEqual(await model.classifyBatch(fx.images, { topK: 5 }));
      expect(fromContainer.info.modelBytes).toBe(container.length);
      expect(fromContainer.info.weights).toBe(26_737_120);
    } finally {
      await fromContainer.dispose();
    }
  });

  it('gives the same answers for PNG bytes as for raw pixels, and one image as for a batch', async () => {
    const pngs = await Promise.all(fx.images.slice(0, 4).map((im) => sharp(im.data, { raw: { width: 32, height: 32, channels: 3 } }).png().toBuffer()));
    const fromPng = await model.classifyBatch(pngs, { topK: 3 });
    const fromRaw = await model.classifyBatch(fx.images.slice(0, 4), { topK: 3 });
    expect(fromPng).toEqual(fromRaw);
    expect(await model.classify(pngs[0]!, { topK: 3 })).toEqual(fromRaw[0]);
  });

  it('resizes a larger image to 32×32 before classifying it', async () => {
    const big = await sharp(fx.images[0]!.data, { raw: { width: 32, height: 32, channels: 3 } }).resize(96, 96, { kernel: 'nearest' }).png().toBuffer();
    const [best] = await model.classify(big, { topK: 1 });
    expect(best!.label).toBe('cat'); // a 3× nearest upscale shrinks back to the original pixels
  });

  it('reports the model facts', () => {
    const { info } = model;
    expect(info.weights).toBe(fx.binaryWeights);
    expect(info.weights).toBe(26_737_120);
    expect(info.modelBytes).toBe(fx.model.length);
    expect(info.bitsPerWeight).toBeCloseTo((fx.model.length * 8) / 26_737_120, 12);
    expect(info.inputShape).toEqual([3, 32, 32]);
    expect(info.numClasses).toBe(10);
    expect(info.preprocess).toBe('raw255');
    expect(info.metadata['onebit.weights']).toBe('packed');
    expect(info.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(info.bytesInMemory).toBeGreaterThan(info.weights * 4);
  });
});

describe('the onebit engine backend', () => {
  it('runs the WRN by default: onnxruntime\'s top-5 on the 20 images, probabilities within 1e-4, measured wasm memory', async () => {
    const engine = await loadModel(fx.model, { labels: fx.labels, cache: false });
    try {
      expect(engine.info.backend).toBe('onebit engine (WebAssembly SIMD, 1 thread)');
      // Measured WebAssembly memory: the 26.7 M weights at one bit (3.3 MB) plus activations, not 107 MB of floats.
      expect(engine.info.bytesInMemory).toBeGreaterThan(26_737_120 / 8);
      expect(engine.info.bytesInMemory).toBeLessThan(16 * 2 ** 20);
      const got = await engine.classifyBatch(fx.images, { topK: 5 });
      const want = await model.classifyBatch(fx.images, { topK: 5 });
      expect(got.map((r) => r[0]!.index)).toEqual(fx.trueLabels);
      got.forEach((r, i) => r.forEach((c, j) => {
        expect(c.index).toBe(want[i]![j]!.index);
        expect(Math.abs(c.probability - want[i]![j]!.probability)).toBeLessThan(1e-4);
      }));
    } finally {
      await engine.dispose();
    }
  });

  it('EXPECTED FAILURE: forcing the engine on a model with an op it lacks is a ModelLoadError naming the engine and the op', async () => {
    const corrupt = fx.model.slice();
    corrupt.set(new TextEncoder().encode('Cbst'), Buffer.from(corrupt).indexOf('Cast'));
    await expect(loadModel(corrupt, { cache: false, backend: 'engine' })).rejects.toThrow(ModelLoadError);
    await expect(loadModel(corrupt, { cache: false, backend: 'engine' })).rejects.toThrow(/^onebit engine \(WebAssembly SIMD, 1 thread\) could not load the \d+-byte model \(\d+ bytes\): .*uses the operator Cbst/);
  });
});

describe('loading', () => {
  let server: Server;
  let base: string;
  const cacheDir = mkdtempSync(join(tmpdir(), 'onebit-runtime-cache-'));

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/wrn.onnx') {
        if (req.headers['if-none-match'] === '"wrn-1"') return void res.writeHead(304, { etag: '"wrn-1"' }).end();
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': fx.model.length, etag: '"wrn-1"' });
        res.end(fx.model);
      } else {
        res.writeHead(404).end('not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('streams a URL with progress, then serves it from the content-hash cache after a 304', async () => {
    const seen: [number, number | undefined][] = [];
    const first = await loadModel(`${base}/wrn.onnx`, { cacheDir, onProgress: (r, t) => seen.push([r, t]) });
    expect(first.info.fromCache).toBe(false);
    expect(first.info.bytesDownloaded).toBe(fx.model.length);
    expect(seen.at(-1)).toEqual([fx.model.length, fx.model.length]);
    expect(seen.length).toBeGreaterThan(2);
    await first.dispose();
    const second = await loadModel(`${base}/wrn.onnx`, { cacheDir });
    expect(second.info.fromCache).toBe(true);
    expect(second.info.cacheResult).toBe('not-modified');
    expect(second.info.bytesDownloaded).toBe(0);
    expect(second.info.sha256).toBe(first.info.sha256);
    await second.dispose();
  });

  it('reads a file path with progress', async () => {
    const path = join(cacheDir, 'model.onnx');
    writeFileSync(path, fx.model);
    let last: number | undefined;
    const m = await loadModel(path, { onProgress: (r) => (last = r) });
    expect(last).toBe(fx.model.length);
    expect(m.info.weights).toBe(26_737_120);
    await m.dispose();
  });
});

describe('typed errors', () => {
  it('EXPECTED FAILURE: a truncated model is a ModelLoadError', async () => {
    await expect(loadModel(fx.model.subarray(0, 100_000), { cache: false })).rejects.toThrow(ModelLoadError);
    await expect(loadModel(fx.model.subarray(0, 100_000), { cache: false })).rejects.toThrow(/^The 100000-byte model is not a readable ONNX model: The ONNX model field 7 at byte 18 claims \d+ bytes but only 99977 remain \(truncated\?\)\.$/);
  });

  it('EXPECTED FAILURE: garbage, HTML and .onebit container bytes are ModelLoadErrors', async () => {
    await expect(loadModel(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).rejects.toThrow(ModelLoadError);
    await expect(loadModel(new TextEncoder().encode('<!doctype html><html>404</html>'))).rejects.toThrow(/is an HTML page/);
    await expect(loadModel(new Uint8Array([0x89, 0x4f, 0x4e, 0x45, 0x42, 0x49, 0x54, 0x0a, 0, 0]))).rejects.toThrow(/is a \.onebit container/);
  });

  it('EXPECTED FAILURE: a model onnxruntime refuses is a ModelLoadError naming onnxruntime', async () => {
    const corrupt = fx.model.slice();
    // overwrite the first node's op_type bytes "Cast" → "Cbst": well-formed protobuf, unknown operator
    const at = Buffer.from(corrupt).indexOf('Cast');
    corrupt.set(new TextEncoder().encode('Cbst'), at);
    await expect(loadModel(corrupt, { cache: false })).rejects.toThrow(/^onnxruntime-node \S+ could not load the \d+-byte model \(\d+ bytes\): /);
  });

  it('EXPECTED FAILURE: a wrong-size image is an InputSizeError when resizing is off', async () => {
    const strict = await loadModel(fx.model, { cache: false, resize: 'error' });
    await expect(strict.classify({ width: 31, height: 32, data: new Uint8Array(31 * 32 * 3) })).rejects.toThrow(new InputSizeError('The image is 31×32 but the model needs 32×32 (resizing is off).', 31, 32, 3));
    await strict.dispose();
  });

  it('EXPECTED FAILURE: pixels that do not add up, or two channels, are InputSizeErrors', async () => {
    await expect(model.classify({ width: 32, height: 32, data: new Uint8Array(100) })).rejects.toThrow(/^The image has 100 bytes, which is not 32×32 pixels of 1, 3 or 4 bytes\.$/);
    await expect(model.classify({ width: 32, height: 32, data: new Uint8Array(32 * 32 * 2) })).rejects.toThrow(/^The image has 2 channels per pixel but the model needs 3\.$/);
  });

  it('EXPECTED FAILURE: bytes that are no image are an ImageDecodeError', async () => {
    await expect(model.classify(new TextEncoder().encode('not an image'))).rejects.toThrow(ImageDecodeError);
    await expect(model.classify(new Uint8Array(0))).rejects.toThrow(/^image: The image is empty \(0 bytes\)\.$/);
  });

  it('EXPECTED FAILURE: a 404 and an unreachable host are FetchErrors', async () => {
    const server = createServer((_, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await expect(loadModel(`http://127.0.0.1:${port}/missing.onnx`, { cache: false })).rejects.toThrow(new FetchError(`Fetching the model from http://127.0.0.1:${port}/missing.onnx failed with HTTP 404 Not Found.`, `http://127.0.0.1:${port}/missing.onnx`, 404));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expect(loadModel(`http://127.0.0.1:${port}/missing.onnx`, { cache: false })).rejects.toThrow(FetchError);
  });

  it('EXPECTED FAILURE: an unknown preprocessing recorded in the model is a ModelLoadError naming it, not a caller mistake', async () => {
    const m = decodeModel(fx.model);
    m.metadata['onebit.preprocess'] = 'cifar-from-the-future';
    const bytes = encodeModel(m);
    const known = 'unit, raw255, cifar-torchvision, cifar-wrn, imagenet';
    const message = `The ${bytes.length}-byte model records onebit.preprocess "cifar-from-the-future", which this version of onebit does not know (known: KNOWN); pass the preprocess option, or re-convert the model with a known --preprocess.`;
    await expect(loadModel(bytes)).rejects.toThrow(new ModelLoadError(message.replace('KNOWN', known)));
    // The caller's own choice still wins over the file's record.
    expect((await loadModel(bytes, { preprocess: 'cifar-wrn' })).info.preprocess).toBe('cifar-wrn');
  });

  it('BAD CALL: labels of the wrong length and an unknown preprocessing are UsageErrors (RangeErrors that name the caller\'s mistake)', async () => {
    await expect(loadModel(fx.model, { labels: ['a', 'b'] })).rejects.toThrow(new UsageError('2 labels were given for a model with 10 classes.'));
    await expect(loadModel(fx.model, { preprocess: 'imagenet' })).rejects.toThrow(new UsageError('The preprocess option does not fit: preprocessing "imagenet" crops 224×224 but the 4207585-byte model takes 32×32 inputs.'.replace('4207585', String(fx.model.length))));
    await expect(loadModel(fx.model, { preprocess: 'nope' })).rejects.toThrow(/^Unknown preprocessing "nope"; known: /);
    await expect(loadModel(fx.model, { preprocess: 'nope' })).rejects.toBeInstanceOf(UsageError);
    await expect(model.classify(fx.images[0]!, { topK: 0 })).rejects.toThrow(RangeError);
  });
});
