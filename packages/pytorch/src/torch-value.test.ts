/** Tests of turning raw unpickled trees into PickleValues: sharing, cycles and the nesting limit. */
import { LimitError, TensorBudget } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import { TensorRef } from './rebuild-tensor.js';
import { TorchStorage } from './storage.js';
import { MAX_NESTING, toPickleValue } from './torch-value.js';

const budget = () => new TensorBudget(1e6);

describe('toPickleValue', () => {
  it('turns a shared TensorRef into one shared Tensor and keeps cycles', () => {
    const s = new TorchStorage('0', 'int8', 3);
    s.attach(new Uint8Array([1, 2, 255]), 't');
    const ref = new TensorRef(s, 0, [3], [1]);
    const list: unknown[] = [ref, ref, s];
    list.push(list);
    const out = toPickleValue(list, 't', budget()) as unknown[];
    expect(out[0]).toEqual({ dtype: 'int8', dims: [3], data: new Int8Array([1, 2, -1]) });
    expect(out[0]).toBe(out[1]);
    expect(out[2]).toEqual({ dtype: 'int8', dims: [3], data: new Int8Array([1, 2, -1]) });
    expect(out[3]).toBe(out);
  });
  it('EXPECTED FAILURE: refuses nesting deeper than the limit', () => {
    let deep: unknown = 1;
    for (let i = 0; i <= MAX_NESTING + 1; i++) deep = [deep];
    expect(() => toPickleValue(deep, 't', budget())).toThrow(LimitError);
    expect(() => toPickleValue(deep, 't', budget())).toThrow(`t: '${Array(MAX_NESTING).fill(0).join('.')}.0' is nested more than ${MAX_NESTING} containers deep; onebit refuses such pickles.`);
  });
});
