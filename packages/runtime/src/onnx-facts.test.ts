/**
 * The ONNX fact scanner on hand-spelled protobuf bytes: metadata, input/output shapes with a
 * symbolic batch, binary weights counted exactly from `<w>.shape` (or bits × 8 without it), and
 * ModelLoadErrors for bytes that are not a protobuf message.
 */
import { describe, expect, it } from 'vitest';
import { ModelLoadError } from './errors.js';
import { readOnnxFacts } from './onnx-facts.js';

/** Protobuf spelling helpers: varint, length-delimited field, varint field. */
const varint = (v: number): number[] => {
  const out: number[] = [];
  do {
    out.push((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
    v = Math.floor(v / 128);
  } while (v > 0);
  return out;
};
const len = (field: number, body: number[]): number[] => [...varint(field * 8 + 2), ...varint(body.length), ...body];
const num = (field: number, v: number): number[] => [...varint(field * 8), ...varint(v)];
const str = (field: number, s: string): number[] => len(field, [...new TextEncoder().encode(s)]);
const int64le = (v: number): number[] => Array.from(new Uint8Array(BigInt64Array.of(BigInt(v)).buffer));

/** ValueInfoProto with a tensor type of the given dims (-1 → dim_param "N"). */
const valueInfo = (name: string, dims: number[]): number[] =>
  len(11, [...str(1, name), ...len(2, len(1, [...num(1, 1), ...len(2, dims.flatMap((d) => len(1, d < 0 ? str(2, 'N') : num(1, d))))]))]);

function model(withShape: boolean): Uint8Array {
  const bits = len(5, [...num(1, 3), ...num(2, 2), ...str(8, 'w.bits'), ...len(9, [0xff, 0xff, 0x01])]); // 3 bytes of bits
  const shape = len(5, [...num(1, 2), ...num(2, 7), ...str(8, 'w.shape'), ...len(9, [...int64le(2), ...int64le(9)])]);
  const scale = len(5, [...num(2, 1), ...str(8, 'w.scale'), ...len(9, [0, 0, 128, 63])]);
  const graph = [...bits, ...(withShape ? shape : []), ...scale, ...valueInfo('input', [-1, 3, 32, 32]), ...valueInfo('w.scale', []).map((b, i) => (i === 0 ? 0x5a : b)), ...len(12, valueInfo('logits', [-1, 10]).slice(2))];
  return new Uint8Array([...num(1, 8), ...len(7, graph), ...len(14, [...str(1, 'onebit.preprocess'), ...str(2, 'raw255')])]);
}

describe('readOnnxFacts', () => {
  it('reads metadata, shapes and the exact binary weight count', () => {
    const facts = readOnnxFacts(model(true));
    expect(facts.metadata).toEqual({ 'onebit.preprocess': 'raw255' });
    expect(facts.inputs).toEqual([{ name: 'input', dims: [-1, 3, 32, 32] }]);
    expect(facts.outputs).toEqual([{ name: 'logits', dims: [-1, 10] }]);
    expect(facts.binaryWeights).toBe(18); // 2×9 from w.shape, not 3 bytes × 8 = 24
    expect(facts.floatInitializerBytes).toBe(4);
  });

  it('falls back to bits × 8 without a shape initializer', () => {
    expect(readOnnxFacts(model(false)).binaryWeights).toBe(24);
  });

  it('EXPECTED FAILURE: empty, truncated and non-protobuf bytes are ModelLoadErrors', () => {
    expect(() => readOnnxFacts(new Uint8Array(0))).toThrow(new ModelLoadError('The model is empty (0 bytes).'));
    const m = model(true);
    expect(() => readOnnxFacts(m.subarray(0, 10))).toThrow(new ModelLoadError('The ONNX model field 7 at byte 2 claims 151 bytes but only 5 remain (truncated?).'));
    expect(() => readOnnxFacts(new Uint8Array([0x0f, 1, 2]))).toThrow(new ModelLoadError('The ONNX model has wire type 7 at byte 0; the bytes are not an ONNX model.'));
    expect(() => readOnnxFacts(new Uint8Array(num(1, 8)))).toThrow(new ModelLoadError('The 2-byte model has no ONNX graph (field 7); it is not an ONNX model.'));
  });
});
