/** Round trips through writeContainer/readContainer: every role, dtype and edge shape, bit-exact. */
import { packSigns } from '@onebit/bits';
import { OnebitError, tensor, type Tensor } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import type { Container, ContainerTensor } from './container-types.js';
import { ALIGNMENT, sniffContainer } from './preamble.js';
import { readContainer } from './read-container.js';
import { writeContainer } from './write-container.js';

function randomSigns(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 32 - 0.5;
  }
  return x;
}

function binary(name: string, dims: number[], scale: number | Float32Array, seed = 1): ContainerTensor {
  const n = dims.reduce((a, b) => a * b, 1);
  return { name, role: 'binary-weight', weight: { dims, bits: packSigns(randomSigns(n, seed)), scale } };
}

function float(name: string, t: Tensor): ContainerTensor {
  return { name, role: 'float', tensor: t };
}

/** A small container with every kind of entry. */
function sampleContainer(): Container {
  return {
    model: { architecture: 'wrn-tiny', classes: 10, note: 'ünïcödé ✓', nested: { list: [1, 2.5, null, true] } },
    graph: new Uint8Array([0x08, 0x07, 0x12, 0x03, 0x6f, 0x6e, 0x65]),
    tensors: [
      binary('conv1.weight', [3, 2, 3, 3], Math.sqrt(2 / 18), 11),
      binary('fc.weight', [2, 33], new Float32Array([0.25, -1.5]), 12),
      float('bn.mean', tensor('float32', [3], new Float32Array([0.5, -0, Number.NaN]))),
      float('step', tensor('int64', [], new BigInt64Array([-5n]))),
    ],
  };
}

describe('writeContainer/readContainer round trip', () => {
  it('is bit-exact for every role, the model metadata and the graph bytes', () => {
    const c = sampleContainer();
    const bytes = writeContainer(c);
    expect(sniffContainer(bytes)).toBe(true);
    const back = readContainer(bytes);
    expect(back.model).toEqual(c.model);
    expect(back.graph).toEqual(c.graph);
    expect(back.tensors.map((t) => [t.name, t.role])).toEqual(c.tensors.map((t) => [t.name, t.role]));
    for (let i = 0; i < c.tensors.length; i++) {
      const a = c.tensors[i]!;
      const b = back.tensors[i]!;
      if (a.role === 'binary-weight' && b.role === 'binary-weight') {
        expect(b.weight.dims).toEqual(a.weight.dims);
        expect(b.weight.bits).toEqual(a.weight.bits);
        expect(b.weight.scale).toEqual(a.weight.scale);
      } else if (a.role === 'float' && b.role === 'float') {
        expect(b.tensor.dtype).toBe(a.tensor.dtype);
        expect(b.tensor.dims).toEqual(a.tensor.dims);
        expect(new Uint8Array(b.tensor.data.buffer, b.tensor.data.byteOffset, b.tensor.data.byteLength)).toEqual(new Uint8Array(a.tensor.data.buffer, a.tensor.data.byteOffset, a.tensor.data.byteLength));
      } else throw new Error(`role changed for ${a.name}`);
    }
  });

  it('writes the same bytes again from what it read (write ∘ read is the identity)', () => {
    const bytes = writeContainer(sampleContainer());
    expect(writeContainer(readContainer(bytes))).toEqual(bytes);
  });

  it.each([1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 127])('round-trips binary weights with rows and row length %i', (k) => {
    const c: Container = { model: {}, tensors: [binary('a', [k, k], 0.5, k), binary('b', [3, k, 1, 1], new Float32Array([1, 2, 3]), k + 1), binary('c', [k], 1, k + 2)] };
    const back = readContainer(writeContainer(c));
    for (let i = 0; i < 3; i++) {
      const a = c.tensors[i]!;
      const b = back.tensors[i]!;
      if (a.role !== 'binary-weight' || b.role !== 'binary-weight') throw new Error('role');
      expect(b.weight.bits).toEqual(a.weight.bits);
    }
  });

  it('aligns every section to 64 bytes and handles empty tensors and no graph', () => {
    const c: Container = { model: {}, tensors: [binary('empty', [0, 3, 3, 3], 1), float('none', tensor('float32', [0], new Float32Array(0))), binary('one', [1, 1, 1, 1], 2)] };
    const bytes = writeContainer(c);
    expect((bytes.length - 4) % ALIGNMENT).toBe(0);
    const back = readContainer(bytes);
    expect(back.graph).toBeUndefined();
    expect(back.tensors.map((t) => t.name)).toEqual(['empty', 'none', 'one']);
    expect(readContainer(writeContainer({ model: {}, tensors: [] })).tensors).toEqual([]);
  });

  it('keeps a float tensor given as a view into a larger buffer', () => {
    const big = new Float32Array([9, 1, 2, 3, 9]);
    const back = readContainer(writeContainer({ model: {}, tensors: [float('v', tensor('float32', [3], big.subarray(1, 4)))] }));
    const t = back.tensors[0]!;
    if (t.role !== 'float') throw new Error('role');
    expect(Array.from(t.tensor.data as Float32Array)).toEqual([1, 2, 3]);
  });
});

describe('writeContainer BAD CALL', () => {
  it('refuses what the format cannot hold exactly', () => {
    expect(() => writeContainer({ model: {}, tensors: [binary('a', [2, 9], Number.NaN)] })).toThrow(RangeError);
    expect(() => writeContainer({ model: {}, tensors: [binary('a', [2, 9], -0)] })).toThrow(RangeError);
    expect(() => writeContainer({ model: {}, tensors: [binary('a', [2, 9], new Float32Array(3))] })).toThrow(/per-channel/);
    expect(() => writeContainer({ model: {}, tensors: [binary('a', [18], new Float32Array(18))] })).toThrow(/rank ≥ 2/);
    expect(() => writeContainer({ model: {}, tensors: [binary('a', [2, 9], 1), binary('a', [1], 1)] })).toThrow(/appears twice/);
    expect(() => writeContainer({ model: {}, tensors: [{ name: 'p', role: 'binary-weight', weight: { dims: [2, 9], bits: new Uint8Array([0, 0, 0x04]), scale: 1 } }] })).toThrow(/padding bits/);
    expect(() => writeContainer({ model: {}, tensors: [{ name: 'p', role: 'binary-weight', weight: { dims: [2, 9], bits: new Uint8Array(2), scale: 1 } }] })).toThrow(/needs 3 bytes/);
    expect(() => writeContainer({ model: [] as unknown as Record<string, unknown>, tensors: [] })).toThrow(TypeError);
  });
});

describe('shuffle-deflate float sections', () => {
  const bn = new Float32Array(640);
  for (let i = 0; i < bn.length; i++) bn[i] = Math.fround(Math.sin(i) * 3 + (i % 7) * 0.01);
  const container = {
    model: { kind: 'test' },
    tensors: [
      { name: 'w', role: 'binary-weight' as const, weight: { dims: [2, 1, 3, 3], bits: new Uint8Array([0xe5, 0xf0, 0x01]), scale: 0.5 } },
      { name: 'bn', role: 'float' as const, tensor: { dtype: 'float32' as const, dims: [2, 320], data: bn }, encoding: 'shuffle-deflate' as const },
    ],
  };

  it('round-trips bit-exactly and stores fewer bytes than raw', () => {
    const bytes = writeContainer(container);
    const back = readContainer(bytes);
    const t = back.tensors[1]!;
    expect(t.role === 'float' && t.encoding).toBe('shuffle-deflate');
    expect(t.role === 'float' && Array.from(t.tensor.data as Float32Array)).toEqual(Array.from(bn));
    expect(writeContainer(back)).toEqual(bytes);
    const raw = writeContainer({ ...container, tensors: [container.tensors[0]!, { ...container.tensors[1]!, encoding: 'raw' as const }] });
    expect(bytes.length).toBeLessThan(raw.length);
  });

  it('detects any flipped byte of a container with a compressed section', () => {
    const bytes = writeContainer(container);
    for (let i = 0; i < bytes.length; i++) {
      const broken = bytes.slice();
      broken[i]! ^= 0x41;
      expect(() => readContainer(broken), `byte ${i}`).toThrow(OnebitError);
    }
  });
});
