/** Tests of crossRuntimeParity on hand-made logits of three runtimes. */
import { describe, expect, it } from 'vitest';
import { RUNTIME_MAX_REL_LOGIT_DIFF, crossRuntimeParity } from './cross-runtime.js';

describe('crossRuntimeParity', () => {
  const node = new Float32Array([10, 0, 0, 0, 5, 1]);
  const wasm = new Float32Array([10, 0, 0, 0, 5, 1.00001]);
  const browser = new Float32Array([10, 0, 0, 0, 1, 5]);

  it('compares every pair, with image indices offset to the whole data set', () => {
    const pairs = crossRuntimeParity([{ runtime: 'node', logits: node }, { runtime: 'wasm', logits: wasm }, { runtime: 'browser', logits: browser }], 3, 100);
    expect(pairs.map((p) => `${p.a}-${p.b}`)).toEqual(['node-wasm', 'node-browser', 'wasm-browser']);
    expect(pairs[0]!.agreement).toBe(1);
    expect(pairs[0]!.maxAbsLogitDiff).toBeCloseTo(1e-5, 6);
    expect(pairs[0]!.relLogitDiff).toBeCloseTo(1e-6, 6);
    expect(pairs[0]!.withinTolerance).toBe(true);
    expect(pairs[1]!.agreement).toBe(0.5);
    expect(pairs[1]!.disagreements).toEqual([101]);
    expect(pairs[1]!.maxAbsLogitDiff).toBe(4);
    expect(pairs[1]!.withinTolerance).toBe(false);
    expect(RUNTIME_MAX_REL_LOGIT_DIFF).toBe(1e-5);
  });
});
