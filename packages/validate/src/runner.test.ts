/**
 * End-to-end tests of the runners on test-data/tiny.onnx (made by test-data/make-tiny.py): a
 * 1×1 conv (3→4 channels, integer weights) + global average pool, whose outputs are exact in
 * float32, so node, wasm, browser (onnxruntime-web in headless Chromium) and onebit (the engine)
 * must give exactly the hand-computed logits.
 */
import { readFileSync } from 'node:fs';
import { ModelError, WrongFileError } from '@onebit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { RUNTIME_MAX_REL_LOGIT_DIFF } from './cross-runtime.js';
import { RUNTIMES, createRunner, type Runner } from './runner.js';

const tiny = new Uint8Array(readFileSync(new URL('../test-data/tiny.onnx', import.meta.url)));

/** Expected logits: channel means m0..m2 → [m0, m1 + 1, m2 − 1, m0 − m1 + 2·m2 + 0.5]. */
function expected(input: Float32Array, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const m = [0, 1, 2].map((c) => {
      const p = input.subarray(i * 12 + c * 4, i * 12 + c * 4 + 4);
      return (p[0]! + p[1]! + p[2]! + p[3]!) / 4;
    }) as [number, number, number];
    out.push(m[0], m[1] + 1, m[2] - 1, m[0] - m[1] + 2 * m[2] + 0.5);
  }
  return out;
}

describe.each(RUNTIMES)('%s runner', (runtime) => {
  const runners: Runner[] = [];
  afterAll(async () => {
    for (const r of runners) await r.dispose();
  });

  it('runs the tiny model exactly', async () => {
    const runner = await createRunner(tiny, { runtime, threads: 1 });
    runners.push(runner);
    expect(runner.runtime).toBe(runtime);
    expect(runner.inputName).toBe('input');
    expect(runner.outputName).toBe('logits');
    expect(runner.name).toContain({ node: 'onnxruntime-node 1.30.0', wasm: 'onnxruntime-web 1.30.0 wasm', browser: 'onnxruntime-web 1.30.0 wasm in Chromium', onebit: 'onebit engine (WebAssembly SIMD' }[runtime]);
    expect(runner.sessionCreationMs).toBeGreaterThan(0);
    const one = Float32Array.from({ length: 12 }, (_, i) => i);
    expect([...(await runner.run(one, [1, 3, 2, 2]))]).toEqual([1.5, 6.5, 8.5, 15.5]);
    const three = Float32Array.from({ length: 36 }, (_, i) => (i * 7) % 13 - 4);
    expect([...(await runner.run(three, [3, 3, 2, 2]))]).toEqual(expected(three, 3));
  });

  it('EXPECTED FAILURE: an input of the wrong shape is a ModelError naming the input', async () => {
    const runner = await createRunner(tiny, { runtime, threads: 1 });
    runners.push(runner);
    await expect(runner.run(new Float32Array(8), [1, 2, 2, 2])).rejects.toThrow(ModelError);
    await expect(runner.run(new Float32Array(8), [1, 2, 2, 2])).rejects.toThrow(/failed on input "input" of shape \[1, 2, 2, 2\]/);
  });

  it('EXPECTED FAILURE: bytes that are not a model', async () => {
    await expect(createRunner(new Uint8Array(0), { runtime, threads: 1 })).rejects.toThrow(WrongFileError);
    await expect(createRunner(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), { runtime, threads: 1 })).rejects.toThrow(ModelError);
    await expect(createRunner(tiny.subarray(0, 100), { runtime, threads: 1 })).rejects.toThrow(/could not load the 100-byte model/);
  });
});

describe('createRunner', () => {
  it('BAD CALL: unknown runtime or thread count', async () => {
    await expect(createRunner(tiny, { runtime: 'gpu' as 'node' })).rejects.toThrow(RangeError);
    await expect(createRunner(tiny, { runtime: 'node', threads: 0 })).rejects.toThrow(RangeError);
  });

  it('the onnxruntime runtimes give bit-identical logits; the engine (other float32 summation order) agrees within RUNTIME_MAX_REL_LOGIT_DIFF', async () => {
    const input = Float32Array.from({ length: 12 * 5 }, (_, i) => Math.sin(i) * 100);
    const outs: Float32Array[] = [];
    for (const runtime of RUNTIMES) {
      const r = await createRunner(tiny, { runtime, threads: 1 });
      outs.push(new Float32Array(await r.run(input, [5, 3, 2, 2])));
      await r.dispose();
    }
    expect(outs).toHaveLength(4);
    expect(outs[1]).toEqual(outs[0]);
    expect(outs[2]).toEqual(outs[0]);
    const maxRef = Math.max(...outs[0]!.map(Math.abs));
    const maxDiff = Math.max(...outs[3]!.map((v, i) => Math.abs(v - outs[0]![i]!)));
    expect(maxDiff / maxRef).toBeLessThanOrEqual(RUNTIME_MAX_REL_LOGIT_DIFF);
  });
});
