/**
 * Threads: a binary-Conv network loaded with 2 and 3 threads (worker_threads on a shared
 * WebAssembly.Memory) gives exactly the single-threaded outputs — same bits — for row counts
 * that split evenly and unevenly, stride 2 and groups; so do the passes the threads share out
 * (batch-norm affine + Relu, residual Add, AveragePool, MaxPool) over block counts that split
 * unevenly and an Add whose length is not a multiple of 4; and the thread options are checked.
 */
import { Worker } from 'node:worker_threads';
import { tensor } from '@onebit/core';
import { addBinaryWeight, encodeModel, GraphBuilder } from '@onebit/onnx';
import { afterAll, describe, expect, it } from 'vitest';
import { type Engine, loadEngine } from './engine.js';
import { random, randomBits } from './golden.fixture.js';

const workerUrl = new URL('../dist/bundle/thread-worker.js', import.meta.url).href;
/** A Node worker running the shipped thread-worker entry, the bundle (the test runs after `npm run build`). */
const spawn = () => {
  const w = new Worker(`require('node:worker_threads').parentPort.once('message', async (m) => (await import(${JSON.stringify(workerUrl)})).startThread(m));`, { eval: true });
  w.unref();
  return w;
};

/** x [N,9,13,11] → binary Conv 3×3 9→33 → Relu → binary Conv 3×3 s2 33→20 (groups 1) → binary Conv 1×1 groups 2 20→6 → y. */
function model(): Uint8Array {
  const b = new GraphBuilder('threads');
  b.input('x', 'float32', ['N', 9, 13, 11]);
  const w = (name: string, dims: number[], seed: number) => addBinaryWeight(b, name, { dims, bits: randomBits(dims.reduce((p, d) => p * d, 1), seed), scale: random(dims[0]!, seed + 1, 0.1, 1) });
  b.node('Conv', ['x', w('w1', [33, 9, 3, 3], 1)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { outputs: ['c1'] });
  b.node('Relu', ['c1'], {}, { outputs: ['r1'] });
  b.node('Conv', ['r1', w('w2', [20, 33, 3, 3], 3), b.initializer('b2', tensor('float32', [20], random(20, 5)))], { kernel_shape: [3, 3], pads: [1, 0, 1, 2], strides: [2, 2] }, { outputs: ['c2'] });
  b.node('Conv', ['c2', w('w3', [6, 10, 1, 1], 6)], { kernel_shape: [1, 1], group: 2 }, { outputs: ['y'] });
  b.output('y', 'float32', ['N', 6, undefined, undefined]);
  return encodeModel(b.build({ opset: 13 }));
}

/**
 * The shared-out passes, at sizes that make several blocks (threads.ts PASS_BLOCK = 16384 floats):
 * x [N,40,32,32] → Mul(a)·Add(b)·Relu (one affine pass, 3 blocks of 16, 16, 8 channels) → Add(·, x)
 * (40960 floats: 3 blocks) → AveragePool 3×3 pad 1 → MaxPool 2×2 s2 → y; and z [N,3,77,71] → Relu
 * → Add(·, z) (16401 floats: the last block holds the scalar tail) → w.
 */
function passes(odd: boolean): Uint8Array {
  const b = new GraphBuilder('passes');
  if (odd) {
    b.input('z', 'float32', ['N', 3, 77, 71]);
    b.node('Relu', ['z'], {}, { outputs: ['r'] });
    b.node('Add', ['r', 'z'], {}, { outputs: ['w'] });
    b.output('w', 'float32', ['N', 3, 77, 71]);
    return encodeModel(b.build({ opset: 13 }));
  }
  b.input('x', 'float32', ['N', 40, 32, 32]);
  b.node('Mul', ['x', b.initializer('a', tensor('float32', [1, 40, 1, 1], random(40, 41, 0.5, 2)))], {}, { outputs: ['m'] });
  b.node('Add', ['m', b.initializer('b', tensor('float32', [1, 40, 1, 1], random(40, 42)))], {}, { outputs: ['s'] });
  b.node('Relu', ['s'], {}, { outputs: ['r'] });
  b.node('Add', ['r', 'x'], {}, { outputs: ['res'] });
  b.node('AveragePool', ['res'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { outputs: ['p1'] });
  b.node('MaxPool', ['p1'], { kernel_shape: [2, 2], strides: [2, 2] }, { outputs: ['y'] });
  b.output('y', 'float32', ['N', 40, 16, 16]);
  return encodeModel(b.build({ opset: 13 }));
}

const engines: Engine[] = [];
afterAll(() => engines.forEach((e) => e.dispose()));

describe('threaded binary Conv', () => {
  const bytes = model();
  const x = random(3 * 9 * 13 * 11, 9, -2, 2);
  const dims = [3, 9, 13, 11];
  const [single] = loadEngine(bytes).run(x, dims);

  it.each([2, 3])('%i threads give exactly the single-threaded outputs', async (threads) => {
    const e = loadEngine(bytes, { threads });
    engines.push(e);
    await e.startThreads(spawn);
    expect(e.threads).toEqual({ loaded: threads, running: threads });
    const [y] = e.run(x, dims);
    expect(y!.dims).toEqual(single!.dims);
    expect(Buffer.from(y!.data.buffer).equals(Buffer.from(single!.data.buffer))).toBe(true);
    e.dispose();
    expect(e.threads.running).toBe(1);
    expect(Buffer.from(e.run(x, dims)[0]!.data.buffer).equals(Buffer.from(single!.data.buffer))).toBe(true);
  }, 60_000);

  it('refuses thread counts outside 1–16 and startThreads on a single-threaded engine', async () => {
    expect(() => loadEngine(bytes, { threads: 0 })).toThrow('engine threads 0 is not an integer from 1 to 16.');
    expect(() => loadEngine(bytes, { threads: 17 })).toThrow(RangeError);
    await expect(loadEngine(bytes).startThreads(spawn)).rejects.toThrow('startThreads needs an engine loaded with threads > 1');
  });

  it.each([[2, false], [3, false], [2, true]] as const)('%i threads run the shared-out passes exactly as one (odd length: %s)', async (threads, odd) => {
    const m = passes(odd);
    const d = odd ? [2, 3, 77, 71] : [2, 40, 32, 32];
    const input = random(d.reduce((p, v) => p * v, 1), 43, -2, 2);
    const [one] = loadEngine(m).run(input, d);
    const e = loadEngine(m, { threads });
    engines.push(e);
    await e.startThreads(spawn);
    const [y] = e.run(input, d);
    expect(y!.data.some((v) => v !== 0)).toBe(true);
    expect(Buffer.from(y!.data.buffer).equals(Buffer.from(one!.data.buffer))).toBe(true);
  }, 60_000);
});
