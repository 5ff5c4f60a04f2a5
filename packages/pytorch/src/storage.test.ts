/** Tests of storage persistent ids, storage views and byte swapping. */
import { FormatError } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import { PickleGlobal } from './pickle-value.js';
import { TorchStorage, parseStorageId, swapBytes } from './storage.js';

const type = (name: string): PickleGlobal => new PickleGlobal('torch', name);

describe('parseStorageId', () => {
  it('reads zip and legacy ids, with and without view metadata', () => {
    expect(parseStorageId(['storage', type('HalfStorage'), '0', 'cpu', 6], 'f', 0)).toEqual({ dtype: 'float16', key: '0', location: 'cpu', numel: 6 });
    expect(parseStorageId(['storage', type('LongStorage'), '94', 'cuda:0', 8, ['95', 2, 3]], 'f', 0)).toEqual({
      dtype: 'int64', key: '94', location: 'cuda:0', numel: 8, view: { key: '95', offset: 2, numel: 3 },
    });
  });
  it('EXPECTED FAILURE: names what is wrong', () => {
    expect(() => parseStorageId(['blob', type('FloatStorage'), '0', 'cpu', 1], 'f', 3)).toThrow("f: persistent id at byte 3 starts with the string 'blob' instead of 'storage'.");
    expect(() => parseStorageId(['storage', type('ComplexFloatStorage'), '0', 'cpu', 1], 'f', 3)).toThrow("f: persistent id at byte 3 names the unknown storage type 'torch.ComplexFloatStorage'.");
    expect(() => parseStorageId(['storage', type('FloatStorage'), '0', 'cpu', -1], 'f', 3)).toThrow('declares the number -1 elements');
    expect(() => parseStorageId('x', 'f', 3)).toThrow(FormatError);
  });
});

describe('TorchStorage', () => {
  it('serves views of a base storage', () => {
    const base = new TorchStorage('a', 'int16', 4);
    base.attach(new Uint8Array(new Int16Array([1, 2, 3, 4]).buffer), 'f');
    const view = new TorchStorage('b', 'int16', 2, { storage: base, offset: 1 });
    expect([...view.elements('f')]).toEqual([2, 3]);
  });
  it('EXPECTED FAILURE: refuses short data and missing data', () => {
    expect(() => new TorchStorage('a', 'float32', 4).attach(new Uint8Array(15), 'f')).toThrow("f: storage 'a' declares 4 float32 elements (16 bytes) but its data has only 15 bytes.");
    expect(() => new TorchStorage('a', 'float32', 4).elements('f')).toThrow("f: storage 'a' is referenced by a tensor but its data was never found.");
  });
});

describe('swapBytes', () => {
  it('reverses each element', () => {
    expect([...swapBytes(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 4)]).toEqual([4, 3, 2, 1, 8, 7, 6, 5]);
    expect([...swapBytes(Uint8Array.from([1, 2]), 1)]).toEqual([1, 2]);
  });
});
