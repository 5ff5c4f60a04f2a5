/**
 * Issue 17, the engine in Chromium (the web app's path): the authors' WRN-20-10 (MATLAB release)
 * streamed into the engine inside a Web Worker of a cross-origin-isolated page gives, on CIFAR-10
 * test images 0–3, exactly the logits of the engine in Node — on one thread and on two (nested Web
 * Workers on a shared WebAssembly.Memory) — and the reference's top-1. The page's download (engine
 * JS with its embedded wasm, thread worker, model; gzipped) stays under the issue's 4 MB.
 */
import { existsSync, readFileSync } from 'node:fs';
import { convertSync } from '@onebit/convert';
import { sharedPath } from '@onebit/data';
import { afterAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH } from './browser-runner.js';
import { createEngineBrowserRunner, type EngineBrowserRunner } from './engine-browser-runner.js';
import { readNpy } from './npy.js';
import { createRunner } from './runner.js';
import { argmaxRows } from './top-k.js';

const N = 4;
const dims = [N, 3, 32, 32];
const bytesOf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe.skipIf(!existsSync(CHROMIUM_PATH))('the onebit engine in Chromium', () => {
  const model = convertSync(new Uint8Array(readFileSync(sharedPath('models/mcdonnell-wrn20-10-cifar10/matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat')))).bytes;
  const file = readFileSync(sharedPath('datasets/cifar10/test_batch_0-999.bin'));
  // raw255 NCHW (the converted WRN normalises in its graph), as validate feeds it.
  const x = new Float32Array(N * 3072);
  for (let i = 0; i < N; i++) for (let j = 0; j < 3072; j++) x[i * 3072 + j] = file[i * 3073 + 1 + j]!;
  const reference = readNpy(new Uint8Array(readFileSync(sharedPath('reference/mcdonnell-wrn20-10-matlab_cifar10-test-0-999_logits.npy'))));
  const runners: EngineBrowserRunner[] = [];
  afterAll(async () => {
    for (const r of runners) await r.dispose();
  });

  it('gives Node\'s logits bit for bit on 1 and 2 threads, the reference top-1, in a page under 4 MB gzipped', async () => {
    const node = await createRunner(model, { runtime: 'onebit', threads: 1 });
    const inNode = await node.run(x, dims);
    await node.dispose();
    expect([...argmaxRows(inNode, 10)]).toEqual([...argmaxRows(reference.data as Float32Array, 10)].slice(0, N));

    const one = await createEngineBrowserRunner(model, 1);
    runners.push(one);
    expect(one.name).toMatch(/^onebit engine \(WebAssembly SIMD, 1 thread\) in Chromium \d+/);
    expect(bytesOf(await one.run(x, dims)).equals(bytesOf(inNode))).toBe(true);

    const two = await createEngineBrowserRunner(model, 2);
    runners.push(two);
    expect(two.name).toMatch(/^onebit engine \(WebAssembly SIMD, 2 threads\) in Chromium/);
    expect(bytesOf(await two.run(x, dims)).equals(bytesOf(inNode))).toBe(true);

    const download = await two.pageDownload();
    expect(download.files.map((f) => f.path).sort()).toEqual(['/engine-worker.js', '/index.html', '/model.onnx', '/thread-worker.js']);
    expect(download.gzipBytes).toBeLessThan(4e6);
    // The streamed file's region holds the activations: memory used is the file plus the weights.
    expect(two.memory.wasmMemoryUsed).toBeLessThan(model.length + 3.5e6);
  }, 300_000);
});
