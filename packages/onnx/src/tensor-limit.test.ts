/**
 * maxTensorBytes of decodeModel and resolveExternalData: each tensor's decoded bytes (elements × bytes
 * per element) are charged before it is allocated, so packed 1-byte varints decoding to 8-byte int64
 * values, or many external references to the same bytes, cannot make a small input allocate much more.
 */
import { LimitError } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import { resolveExternalData } from './external-data.js';
import { GraphBuilder } from './graph-builder.js';
import { decodeModel, defaultMaxOnnxTensorBytes, encodeModel } from './model-proto.js';
import { proto } from './proto.js';

const HINT = 'pass a larger maxTensorBytes option to the reader (--max-tensor-bytes on the command line) if the file is trusted.';

/** A model whose initializer `w` holds `n` int64 zeros as packed int64_data (1 byte each on the wire). */
function varintModel(n: number): Uint8Array {
  return proto.ModelProto.encode({
    irVersion: 8, opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'g', node: [{ opType: 'Identity', input: ['w'], output: ['y'] }],
      initializer: [{ name: 'w', dataType: 7, dims: [n], int64Data: new Array<number>(n).fill(0) }],
      output: [{ name: 'y', type: { tensorType: { elemType: 7, shape: { dim: [{ dimValue: n }] } } } }],
    },
  }).finish();
}

describe('decodeModel maxTensorBytes', () => {
  it('charges elements × 8 for int64 data stored as 1-byte varints, and reads what fits exactly', () => {
    const bytes = varintModel(1000);
    expect(bytes.length).toBeLessThan(1100);
    expect(decodeModel(bytes, 'm.onnx', { maxTensorBytes: 8000 }).graph.initializers[0]!.tensor.data).toEqual(new BigInt64Array(1000));
    expect(() => decodeModel(bytes, 'm.onnx', { maxTensorBytes: 7999 })).toThrow(LimitError);
    expect(() => decodeModel(bytes, 'm.onnx', { maxTensorBytes: 7999 })).toThrow(
      `ONNX: tensor "w" of shape 1000 (int64) would take 8000 bytes, beyond the 7999-byte limit (maxTensorBytes); ${HINT}`);
  });
  it('counts tensor attributes against the same budget, and defaults to 64 MiB + 8 × the file size', () => {
    const b = new GraphBuilder('g');
    b.input('x', 'float32', [2]);
    const c = b.node('Constant', [], { value: { dtype: 'float32', dims: [4], data: new Float32Array(4) } });
    b.output('y', 'float32', [2], b.node('Add', ['x', c]));
    const bytes = encodeModel(b.build());
    expect(() => decodeModel(bytes, 'm.onnx', { maxTensorBytes: 15 })).toThrow(`ONNX: the tensor of attribute "value" of node "Constant_0" of shape 4 (float32) would take 16 bytes, beyond the 15-byte limit (maxTensorBytes); ${HINT}`);
    expect(defaultMaxOnnxTensorBytes(1000)).toBe(64 * 1024 ** 2 + 8000);
  });
});

describe('resolveExternalData maxTensorBytes', () => {
  it('charges every reference, also many to the same bytes', async () => {
    const b = new GraphBuilder('g');
    b.input('x', 'float32', [2]);
    b.output('y', 'float32', [2], b.node('Relu', ['x']));
    const m = b.build();
    for (let i = 0; i < 3; i++) {
      m.graph.initializers.push({ name: `w${i}`, tensor: { dtype: 'float32', dims: [2], data: new Float32Array(0) }, externalData: { location: 'w.bin', offset: 0, length: 8 } });
    }
    const file = new Uint8Array(new Float32Array([1, 2]).buffer);
    expect((await resolveExternalData(m, () => file, { maxTensorBytes: 24 })).graph.initializers.map((i) => i.tensor.data)).toEqual(new Array(3).fill(Float32Array.of(1, 2)));
    await expect(resolveExternalData(m, () => file, { maxTensorBytes: 20 })).rejects.toThrow(
      `ONNX: external data of tensor "w2" of shape 2 (float32) would take 8 bytes, beyond the 4 bytes left of the 20-byte limit (maxTensorBytes); ${HINT}`);
  });
});
