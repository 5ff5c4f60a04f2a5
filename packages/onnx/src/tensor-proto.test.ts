/** Tests of TensorProto decoding: every typed field, int64 via protobufjs Long, external references, and the exact errors. */
import { describe, expect, it } from 'vitest';
import { FormatError, UnsupportedError } from '@onebit/core';
import { decodeTensorBytes, decodeTensorProto, encodeTensorBytes, encodeTensorProto, hasCanonicalEncoding } from './tensor-proto.js';
import { proto, type onnx } from './proto.js';

/** Encodes then decodes with protobufjs so int64 fields arrive as real `Long`s. */
function viaWire(p: onnx.ITensorProto): onnx.ITensorProto {
  return proto.TensorProto.decode(proto.TensorProto.encode(p).finish());
}
const decode = (p: onnx.ITensorProto) => decodeTensorProto(viaWire(p), 'the test tensor').tensor;

describe('decodeTensorProto', () => {
  it('reads float_data, double_data and int32_data', () => {
    expect(decode({ name: 'a', dataType: 1, dims: [2], floatData: [1.5, -2] })).toEqual({ dtype: 'float32', dims: [2], data: new Float32Array([1.5, -2]) });
    expect(decode({ name: 'a', dataType: 11, dims: [1], doubleData: [0.1] })).toEqual({ dtype: 'float64', dims: [1], data: new Float64Array([0.1]) });
    expect(decode({ name: 'a', dataType: 3, dims: [2], int32Data: [-128, 127] })).toEqual({ dtype: 'int8', dims: [2], data: new Int8Array([-128, 127]) });
    expect(decode({ name: 'a', dataType: 2, dims: [1], int32Data: [255] })).toEqual({ dtype: 'uint8', dims: [1], data: new Uint8Array([255]) });
    expect(decode({ name: 'a', dataType: 9, dims: [2], int32Data: [1, 0] })).toEqual({ dtype: 'bool', dims: [2], data: new Uint8Array([1, 0]) });
  });

  it('reads float16 and bfloat16 bit patterns from int32_data', () => {
    // 0x3c00 = 1.0 in half, 0xbf80 = −1.0 in bfloat16
    expect(decode({ name: 'h', dataType: 10, dims: [1], int32Data: [0x3c00] })).toEqual({ dtype: 'float16', dims: [1], data: new Uint16Array([0x3c00]) });
    expect(decode({ name: 'b', dataType: 16, dims: [1], int32Data: [0xbf80] })).toEqual({ dtype: 'bfloat16', dims: [1], data: new Uint16Array([0xbf80]) });
  });

  it('reads int64_data and uint64_data exactly, beyond 2^53', () => {
    expect(decode({ name: 'i', dataType: 7, dims: [3], int64Data: [-1, 0, 2 ** 40] })).toEqual({ dtype: 'int64', dims: [3], data: new BigInt64Array([-1n, 0n, 2n ** 40n]) });
    const big = proto.TensorProto.decode(new Uint8Array([0x08, 0x01, 0x10, 0x07, 0x3a, 0x09, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]));
    // int64_data = [2^63 − 1] as a packed varint
    expect(decodeTensorProto(big, 't').tensor.data).toEqual(new BigInt64Array([2n ** 63n - 1n]));
    expect(decode({ name: 'u', dataType: 12, dims: [1], uint64Data: [4294967295] })).toEqual({ dtype: 'uint32', dims: [1], data: new Uint32Array([4294967295]) });
  });

  it('reads raw_data little-endian, unaligned', () => {
    const raw = new Uint8Array([0, 0, 0, 0x80, 0x3f]).subarray(1); // 1.0f at an odd offset
    expect(decode({ name: 'r', dataType: 1, dims: [], rawData: raw })).toEqual({ dtype: 'float32', dims: [], data: new Float32Array([1]) });
  });

  it('keeps an external reference unloaded and writes it back', () => {
    const p: onnx.ITensorProto = {
      name: 'w', dataType: 1, dims: [4], dataLocation: 1,
      externalData: [{ key: 'location', value: 'w.bin' }, { key: 'offset', value: '16' }, { key: 'length', value: '16' }],
    };
    const init = decodeTensorProto(viaWire(p), 'w');
    expect(init).toEqual({ name: 'w', tensor: { dtype: 'float32', dims: [4], data: new Float32Array(0) }, externalData: { location: 'w.bin', offset: 16, length: 16 } });
    expect(decodeTensorProto(viaWire(encodeTensorProto(init)), 'w')).toEqual(init);
  });
});

describe('decodeTensorProto EXPECTED FAILURE', () => {
  it('names an unsupported data_type and the tensor', () => {
    expect(() => decode({ name: 'labels', dataType: 8, dims: [1], stringData: [new Uint8Array([97])] }))
      .toThrow(new UnsupportedError('ONNX: data_type 8 (STRING) of tensor "labels" is not supported by onebit.'));
    expect(() => decode({ name: 'z', dataType: 99, dims: [1] })).toThrow(new UnsupportedError('ONNX: data_type 99 of tensor "z" is not supported by onebit.'));
  });
  it('names raw_data of the wrong length', () => {
    expect(() => decode({ name: 'w', dataType: 1, dims: [2, 2], rawData: new Uint8Array(12) }))
      .toThrow(new FormatError('ONNX', 'raw_data of tensor "w" (float32, shape 2×2) holds 12 bytes but 16 are needed.'));
  });
  it('names a typed field of the wrong length', () => {
    expect(() => decode({ name: 'w', dataType: 6, dims: [3], int32Data: [1, 2] }))
      .toThrow(new FormatError('ONNX', 'int32_data of tensor "w" (int32, shape 3) holds 2 values but 3 are needed.'));
  });
  it('names an external reference without a location', () => {
    expect(() => decode({ name: 'w', dataType: 1, dims: [1], dataLocation: 1, externalData: [{ key: 'offset', value: '0' }] }))
      .toThrow(new FormatError('ONNX', 'tensor "w" has data_location EXTERNAL but no "location" entry.'));
  });
});

describe('hasCanonicalEncoding', () => {
  // dims [2] as an unpacked varint (08 02, as PyTorch's exporter writes it), data_type FLOAT, name "w", raw_data [1.0, -2.0]
  const unpacked = new Uint8Array([0x08, 0x02, 0x10, 0x01, 0x42, 0x01, 0x77, 0x4a, 0x08, 0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);

  it('is false for a decoded tensor whose wire form a rebuilt copy would change, which still re-encodes unchanged', () => {
    const init = decodeTensorBytes(unpacked, 'w')!;
    expect(init.tensor).toEqual({ dtype: 'float32', dims: [2], data: new Float32Array([1, -2]) });
    expect(hasCanonicalEncoding(init)).toBe(false);
    expect(encodeTensorBytes(init)).toEqual(unpacked);
  });

  it('is true for a tensor built in memory and for one decoded from its own encoding', () => {
    const built = { name: 'w', tensor: { dtype: 'float32' as const, dims: [2], data: new Float32Array([1, -2]) } };
    expect(hasCanonicalEncoding(built)).toBe(true);
    expect(hasCanonicalEncoding(decodeTensorBytes(encodeTensorBytes(built), 'w')!)).toBe(true);
  });
});
