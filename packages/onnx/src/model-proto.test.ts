/**
 * Tests of decodeModel/encodeModel: the ONNX zoo MobileNetV2 int8 model (golden header values and
 * tensor bytes, a deep-equal round trip, identical onnxruntime outputs after re-encoding), and the
 * exact errors for wrong files and corrupt protobuf.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { sharedPath } from '@onebit/data';
import { FormatError, TruncatedError, WrongFileError } from '@onebit/core';
import { decodeModel, encodeModel } from './model-proto.js';
import { GraphBuilder } from './graph-builder.js';

const MOBILENET = sharedPath('models/onnx-zoo-mobilenetv2-12-int8/mobilenetv2-12-int8.onnx');

describe('decodeModel on the ONNX zoo MobileNetV2 int8 model', () => {
  const bytes = new Uint8Array(readFileSync(MOBILENET));
  const model = decodeModel(bytes);
  const init = (name: string) => model.graph.initializers.find((i) => i.name === name)!;

  it('reads the header, counts and golden values', () => {
    expect(model.irVersion).toBe(7);
    expect(model.producerName).toBe('onnx.quantize');
    expect(model.opsetImports[0]).toEqual({ domain: '', version: 12 });
    expect(model.opsetImports).toHaveLength(7);
    expect(model.graph.nodes).toHaveLength(73);
    expect(model.graph.initializers).toHaveLength(348);
    expect(model.graph.nodes.filter((n) => n.opType === 'QLinearConv')).toHaveLength(52);
    expect(model.graph.inputs).toEqual([{ name: 'input', elemType: 'float32', dims: ['batch_size', 3, 224, 224] }]);
    expect(model.graph.outputs).toEqual([{ name: 'output', elemType: 'float32', dims: ['batch_size', 1000] }]);
    const conv = model.graph.nodes[1]!;
    expect(conv.name).toBe('Conv_0_quant');
    expect(conv.attributes).toEqual({
      dilations: { type: 'ints', value: [1, 1] }, group: { type: 'int', value: 1 }, kernel_shape: { type: 'ints', value: [3, 3] },
      pads: { type: 'ints', value: [1, 1, 1, 1] }, strides: { type: 'ints', value: [2, 2] },
    });
    const w = init('475_quantized').tensor;
    expect(w.dtype).toBe('int8');
    expect(w.dims).toEqual([32, 3, 3, 3]);
    expect(Array.from(w.data.subarray(0, 8) as Int8Array)).toEqual([45, -15, 50, 111, -86, 23, 36, -127]);
    expect(init('630').tensor).toEqual({ dtype: 'int64', dims: [1], data: new BigInt64Array([-1n]) });
    expect(init('input_zero_point').tensor).toEqual({ dtype: 'uint8', dims: [], data: new Uint8Array([114]) });
    expect(init('input_scale').tensor.data[0]).toBe(Math.fround(0.01865844801068306));
  });

  it('round-trips decode → encode → decode to a deep-equal model', () => {
    const again = decodeModel(encodeModel(model));
    // isDeepStrictEqual compares typed arrays byte-wise (fast); the toEqual on the skeleton gives readable diffs
    const skeleton = (m: typeof model) => ({ ...m, graph: { ...m.graph, initializers: m.graph.initializers.map((i) => [i.name, i.tensor.dtype, i.tensor.dims]) } });
    expect(skeleton(again)).toEqual(skeleton(model));
    expect(isDeepStrictEqual(again, model)).toBe(true);
  });

  it('re-encoded model gives the same onnxruntime output as the original', async () => {
    const x = new Float32Array(3 * 224 * 224);
    for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.001) * 2;
    const outputs: Float32Array[] = [];
    for (const m of [bytes, encodeModel(model)]) {
      const s = await ort.InferenceSession.create(m);
      outputs.push((await s.run({ input: new ort.Tensor('float32', x, [1, 3, 224, 224]) }))['output']!.data as Float32Array);
      await s.release();
    }
    expect(outputs[1]!.length).toBe(1000);
    expect(Buffer.from(outputs[1]!.buffer).equals(Buffer.from(outputs[0]!.buffer))).toBe(true);
  });

  it('EXPECTED FAILURE: a truncated copy is a TruncatedError at the offset protobufjs reached', () => {
    expect(() => decodeModel(bytes.subarray(0, 100_000))).toThrow(
      new TruncatedError('ONNX', 'a protobuf field', 99143, 12288, 857),
    );
    expect(() => decodeModel(bytes.subarray(0, 100_000))).toThrow('ONNX: a protobuf field at byte 99143 needs 12288 bytes but only 857 remain (file truncated?).');
  });
});

describe('decodeModel EXPECTED FAILURE', () => {
  const text = (s: string) => new TextEncoder().encode(s);
  it.each([
    ['an empty file', new Uint8Array(0), 'The ONNX file is empty (0 bytes).'],
    ['a Git LFS pointer', text('version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 3655640\n'), 'The ONNX file is a Git LFS pointer to a 3655640-byte object, not the model itself; run `git lfs pull` or download the real file.'],
    ['an HTML page', text('<!DOCTYPE html><html><body>404</body></html>'), 'The ONNX file is an HTML page (44 bytes), probably an error or login page saved instead of the download.'],
    ['a JSON file', text('{"model": 1}'), 'The ONNX file is not an ONNX model: its 12 bytes do not start with ModelProto fields (first byte 0x7b).'],
  ])('names %s', (_, input, message) => {
    expect(() => decodeModel(input)).toThrow(new WrongFileError(message));
    expect(() => decodeModel(input)).toThrow(WrongFileError);
  });

  it('wraps an invalid wire type inside the graph with its offset', () => {
    // ir_version 7, graph of 2 bytes holding tag 0x1e (field 3, wire type 6) 
    const bad = new Uint8Array([0x08, 0x07, 0x3a, 0x02, 0x1e, 0x00]);
    let error: unknown;
    try {
      decodeModel(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FormatError);
    expect((error as FormatError).message).toBe('ONNX: the ModelProto protobuf is corrupt at byte 5 (protobufjs: invalid wire type 6 at offset 5).');
    expect((error as FormatError).offset).toBe(5);
  });

  it('refuses a ModelProto without a graph', () => {
    expect(() => decodeModel(new Uint8Array([0x08, 0x07, 0x42, 0x00]), 'm.onnx')).toThrow(new FormatError('ONNX', 'the ModelProto in m.onnx has no graph.'));
  });
});

describe('encodeModel', () => {
  it('keeps metadata, doc strings and symbolic dims', () => {
    const b = new GraphBuilder('g');
    b.input('x', 'float32', ['N', 3, undefined]);
    b.output('y', 'float32', ['N', 3, undefined], b.node('Relu', ['x']));
    const model = { ...b.build({ opset: 11, metadata: { source: 'test', 'bits per weight': '1' }, docString: 'doc' }), modelVersion: 3 };
    expect(decodeModel(encodeModel(model))).toEqual(model);
  });
});
