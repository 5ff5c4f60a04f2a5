/**
 * loadEngineInto: a model file written straight into the engine's memory gives exactly loadEngine's
 * outputs; on a shared memory (Node) the packed weights' layouts are then written over their own
 * bits in the file's region, on a non-shared one (a page that is not cross-origin isolated) the
 * region holds the activations instead: either way no second block of memory for them. A model
 * with symbolic image dims, or (non-shared) weights past the reserve, falls back to a copy; bad
 * sizes and failing reads are errors.
 */
import { tensor } from '@onebit/core';
import { addBinaryWeight, encodeModel, GraphBuilder } from '@onebit/onnx';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadEngine, loadEngineInto } from './engine.js';
import { random, randomBits } from './golden.fixture.js';

/**
 * x [N,128,1,8] → binary Conv 3×3 128→256 + bias → Relu → binary Conv 3×3 256→256 → y (image dims
 * fixed unless `symbolic`): wide enough that the activations and scratch fit in the file's bytes.
 */
function model(symbolic: boolean): Uint8Array {
  const b = new GraphBuilder('into');
  b.input('x', 'float32', symbolic ? ['N', 128, 'H', 'W'] : ['N', 128, 1, 8]);
  const w = (name: string, dims: number[], seed: number) => addBinaryWeight(b, name, { dims, bits: randomBits(dims.reduce((p, d) => p * d, 1), seed), scale: random(dims[0]!, seed + 1, 0.1, 1) });
  b.node('Conv', ['x', w('w1', [256, 128, 3, 3], 1), b.initializer('b1', tensor('float32', [256], random(256, 4)))], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { outputs: ['c1'] });
  b.node('Relu', ['c1'], {}, { outputs: ['r1'] });
  b.node('Conv', ['r1', w('w2', [256, 256, 3, 3], 3)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { outputs: ['y'] });
  b.output('y', 'float32', symbolic ? ['N', 256, 'H', 'W'] : ['N', 256, 1, 8]);
  return encodeModel(b.build({ opset: 13 }));
}

/**
 * x [N,4096,9,9] → float Conv 9×9 with one output channel → y: its weights are padded to 4 output
 * channels in wasm memory, 4× the file's 1.3 MB, past the reserve of the file's size + 1 MiB.
 */
function outgrowModel(): Uint8Array {
  const b = new GraphBuilder('outgrow');
  b.input('x', 'float32', ['N', 4096, 9, 9]);
  b.node('Conv', ['x', b.initializer('w', tensor('float32', [1, 4096, 9, 9], random(4096 * 81, 11)))], { kernel_shape: [9, 9] }, { outputs: ['y'] });
  b.output('y', 'float32', ['N', 1, 1, 1]);
  return encodeModel(b.build({ opset: 13 }));
}

const fillFrom = (bytes: Uint8Array) => (into: Uint8Array) => into.set(bytes);
const same = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('loadEngineInto', () => {
  const x = random(2 * 128 * 8, 7, -2, 2);
  const dims = [2, 128, 1, 8];

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('gives loadEngine\'s outputs bit for bit and writes the packed weights over their bits in the file\'s region', async () => {
    const bytes = model(false);
    const plain = loadEngine(bytes);
    const into = await loadEngineInto(bytes.length, fillFrom(bytes));
    expect(same(into.run(x, dims)[0]!.data, plain.run(x, dims)[0]!.data)).toBe(true);
    const p = plain.memory;
    const i = into.memory;
    expect(i.binaryWeightBytes).toBe(p.binaryWeightBytes);
    expect(i.binaryWeightBytes).toBe((256 * 128 * 9 + 256 * 256 * 9) / 8); // channels are multiples of 4: exactly one bit each
    // The file's bytes instead of separate weight blocks (allocator blocks are 16-byte aligned, so
    // the two layouts may differ by that much per block: two weights, one arena).
    expect(Math.abs(i.wasmMemoryUsed - p.wasmMemoryUsed - (bytes.length - p.binaryWeightBytes))).toBeLessThanOrEqual(48);
    expect(same(into.run(x, dims)[0]!.data, plain.run(x, dims)[0]!.data)).toBe(true);
  });

  it('keeps the bits of a packed weight that two Convs read until both have been planned', async () => {
    const b = new GraphBuilder('twice');
    b.input('x', 'float32', ['N', 128, 1, 8]);
    const w = addBinaryWeight(b, 'w', { dims: [128, 128, 3, 3], bits: randomBits(128 * 128 * 9, 31), scale: random(128, 32, 0.1, 1) });
    b.node('Conv', ['x', w], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { outputs: ['c1'] });
    b.node('Relu', ['c1'], {}, { outputs: ['r1'] });
    b.node('Conv', ['r1', w], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { outputs: ['y'] });
    b.output('y', 'float32', ['N', 128, 1, 8]);
    const bytes = encodeModel(b.build({ opset: 13 }));
    const into = await loadEngineInto(bytes.length, fillFrom(bytes));
    expect(same(into.run(x, dims)[0]!.data, loadEngine(bytes).run(x, dims)[0]!.data)).toBe(true);
  });

  it('on a memory that is not shared, gives loadEngine\'s outputs bit for bit and puts the activations in the file\'s region', async () => {
    vi.stubGlobal('crossOriginIsolated', false); // as in a page without COOP/COEP: no shared memory
    const bytes = model(false);
    const plain = loadEngine(bytes);
    const into = await loadEngineInto(bytes.length, fillFrom(bytes));
    expect(same(into.run(x, dims)[0]!.data, plain.run(x, dims)[0]!.data)).toBe(true);
    const p = plain.memory;
    const i = into.memory;
    expect(i.activationBytes).toBe(p.activationBytes);
    expect(i.activationBytes).toBeLessThanOrEqual(bytes.length);
    // Same weights; the file's region instead of a separate activation arena (each allocator block
    // is 16-byte aligned, so the two layouts may differ by that much).
    expect(Math.abs(i.wasmMemoryUsed - p.wasmMemoryUsed - (bytes.length - p.activationBytes))).toBeLessThanOrEqual(16);
    // A second batch after the first still matches (the arena is not disturbed by anything else).
    expect(same(into.run(x, dims)[0]!.data, plain.run(x, dims)[0]!.data)).toBe(true);
  });

  it('with 2 threads loaded (run on one) gives the same outputs', async () => {
    const bytes = model(false);
    const into = await loadEngineInto(bytes.length, fillFrom(bytes), { threads: 2 });
    expect(same(into.run(x, dims)[0]!.data, loadEngine(bytes).run(x, dims)[0]!.data)).toBe(true);
  });

  it('loads a model with symbolic image dims from a copy, with the same outputs', async () => {
    const bytes = model(true);
    const into = await loadEngineInto(bytes.length, async (to) => fillFrom(bytes)(to));
    expect(same(into.run(x, dims)[0]!.data, loadEngine(bytes).run(x, dims)[0]!.data)).toBe(true);
  });

  it('gives loadEngine\'s outputs for ops that read constants as they run (general broadcast, Concat, binary and float MatMul/Gemm)', async () => {
    // Each of these once read its constant from the model's tensors at run time, i.e. from the
    // file's region after the activations had taken it over: 250 away from loadEngine's outputs.
    // The binary MatMul's weight goes over the file on a shared memory; on a non-shared one the
    // activations do, which is what this checks.
    vi.stubGlobal('crossOriginIsolated', false);
    const b = new GraphBuilder('constants');
    b.input('x', 'float32', ['N', 64, 1, 8]);
    b.node('Add', ['x', b.initializer('row', tensor('float32', [1, 1, 1, 8], random(8, 21)))], {}, { outputs: ['a'] });
    b.node('Concat', ['a', b.initializer('k', tensor('float32', [1, 8, 1, 8], random(64, 22)))], { axis: 1 }, { outputs: ['c'] });
    b.node('Flatten', ['c'], { axis: 1 }, { outputs: ['f'] });
    const wb = addBinaryWeight(b, 'wb', { dims: [576, 512], bits: randomBits(576 * 512, 23), scale: random(576, 24, 0.1, 1) });
    b.node('MatMul', ['f', wb], {}, { outputs: ['g1'] });
    b.node('Gemm', ['g1', b.initializer('wf', tensor('float32', [512, 300], random(512 * 300, 25))), b.initializer('bf', tensor('float32', [300], random(300, 26)))], {}, { outputs: ['y'] });
    b.output('y', 'float32', ['N', 300]);
    const bytes = encodeModel(b.build({ opset: 13 }));
    const input = random(2 * 512, 27, -2, 2);
    const into = await loadEngineInto(bytes.length, fillFrom(bytes));
    // The activations did go into the file's region (else this would test nothing).
    expect(into.memory.activationBytes).toBeLessThanOrEqual(bytes.length);
    const plain = loadEngine(bytes).run(input, [2, 64, 1, 8])[0]!.data;
    expect(same(into.run(input, [2, 64, 1, 8])[0]!.data, plain)).toBe(true);
    expect(same(into.run(input, [2, 64, 1, 8])[0]!.data, plain)).toBe(true);
  });

  it('on a memory that is not shared, loads a model whose weights outgrow the memory reserved up front from a copy, with the same outputs', async () => {
    vi.stubGlobal('crossOriginIsolated', false);
    const bytes = outgrowModel();
    const input = random(4096 * 81, 12);
    const into = await loadEngineInto(bytes.length, fillFrom(bytes));
    const plain = loadEngine(bytes);
    expect(same(into.run(input, [1, 4096, 9, 9])[0]!.data, plain.run(input, [1, 4096, 9, 9])[0]!.data)).toBe(true);
    // Loaded from the copy exactly as loadEngine loads it (no file region in its memory).
    expect(into.memory.wasmMemoryUsed).toBe(plain.memory.wasmMemoryUsed);
  });

  it('loads the same model on a shared memory without a copy, with the same outputs', async () => {
    // A shared memory never detaches when it grows, so the views into the file stay valid.
    const bytes = outgrowModel();
    const input = random(4096 * 81, 12);
    const into = await loadEngineInto(bytes.length, fillFrom(bytes));
    const plain = loadEngine(bytes);
    expect(same(into.run(input, [1, 4096, 9, 9])[0]!.data, plain.run(input, [1, 4096, 9, 9])[0]!.data)).toBe(true);
    // The file's region is still there (no copy was taken).
    expect(into.memory.wasmMemoryUsed).toBeGreaterThanOrEqual(plain.memory.wasmMemoryUsed + bytes.length);
  });

  it('refuses a size that is not a whole number, reports an empty file as loadEngine does, and passes on the read\'s error', async () => {
    await expect(loadEngineInto(-1, () => {})).rejects.toThrow('engine model file size -1 is not a whole number of bytes.');
    await expect(loadEngineInto(1.5, () => {})).rejects.toThrow(RangeError);
    // An empty file is the same typed error as loadEngine's.
    let plain: unknown;
    try {
      loadEngine(new Uint8Array(0));
    } catch (e) {
      plain = e;
    }
    expect(plain).toBeInstanceOf(Error);
    await expect(loadEngineInto(0, () => {})).rejects.toThrow((plain as Error).message);
    await expect(loadEngineInto(10, () => { throw new Error('disk gone'); })).rejects.toThrow('disk gone');
  });
});
