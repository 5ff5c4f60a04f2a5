/**
 * Fuzz target: decodeModel, the ONNX ModelProto reader. Seeds are the small ONNX test models of
 * the repository; the generator writes ModelProtos by hand with hostile initializers (dims up to
 * 10^12 and negative, raw_data of the wrong length, typed fields, nested subgraphs).
 */
import fc from 'fast-check';
import { decodeModel } from '@onebit/onnx';
import { ProtoWriter } from '../seeds/protobuf-writer.js';
import { repoSeeds, sharedSeeds } from '../seeds/fixture-files.js';
import type { FuzzTarget } from '../target.js';

/** TensorProto fields: 1 dims, 2 data_type, 4 float_data, 8 name, 9 raw_data, 13 external_data, 14 data_location. */
export function tensorProto(t: { name: string; dataType: number; dims: readonly (number | bigint)[]; raw?: Uint8Array; floats?: readonly number[]; external?: Readonly<Record<string, string>> }): ProtoWriter {
  const w = new ProtoWriter();
  for (const d of t.dims) w.varintField(1, d);
  w.varintField(2, t.dataType).stringField(8, t.name);
  if (t.floats) {
    const packed = new Uint8Array(t.floats.length * 4);
    t.floats.forEach((f, i) => new DataView(packed.buffer).setFloat32(i * 4, f, true));
    w.bytesField(4, packed);
  }
  if (t.raw) w.bytesField(9, t.raw);
  if (t.external) {
    for (const [key, value] of Object.entries(t.external)) w.messageField(13, new ProtoWriter().stringField(1, key).stringField(2, value));
    w.varintField(14, 1);
  }
  return w;
}

/** ModelProto: 1 ir_version, 7 graph (1 node, 2 name, 5 initializer, 11 input, 12 output), 8 opset_import. */
export function modelProto(initializers: readonly ProtoWriter[], nodes: readonly ProtoWriter[] = [], irVersion = 8): Uint8Array {
  const graph = new ProtoWriter();
  for (const n of nodes) graph.messageField(1, n);
  graph.stringField(2, 'g');
  for (const i of initializers) graph.messageField(5, i);
  return new ProtoWriter().varintField(1, irVersion).messageField(7, graph).messageField(8, new ProtoWriter().stringField(1, '').varintField(2, 13)).bytes();
}

const dim = fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom<number | bigint>(10 ** 12, 2 ** 31, 2 ** 53, -1, -(2 ** 40), 2n ** 63n - 1n));

const initializer = fc.record({
  name: fc.string({ maxLength: 8 }),
  dataType: fc.oneof(fc.constantFrom(1, 2, 3, 6, 7, 10, 11, 16), fc.integer({ min: 0, max: 40 })),
  dims: fc.array(dim, { maxLength: 5 }),
  raw: fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }),
  floats: fc.option(fc.array(fc.float({ noNaN: false }), { maxLength: 16 }), { nil: undefined }),
}).map((t) => tensorProto(t));

/** A node with an attribute of `depth` nested subgraphs (AttributeProto field 6 g, 20 type 5 GRAPH). */
function nestedNode(depth: number): ProtoWriter {
  let graph = new ProtoWriter().stringField(2, 'leaf');
  for (let i = 0; i < depth; i++) {
    const attr = new ProtoWriter().stringField(1, 'then_branch').messageField(6, graph).varintField(20, 5);
    graph = new ProtoWriter().messageField(1, new ProtoWriter().stringField(4, 'If').messageField(5, attr)).stringField(2, `g${i}`);
  }
  return new ProtoWriter().stringField(4, 'If').messageField(5, new ProtoWriter().stringField(1, 'then_branch').messageField(6, graph).varintField(20, 5));
}

export const onnxGenerator: fc.Arbitrary<Uint8Array> = fc.tuple(
  fc.array(initializer, { maxLength: 4 }),
  fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
  fc.integer({ min: 1, max: 12 }),
).map(([inits, depth, ir]) => modelProto(inits, depth === undefined ? [] : [nestedNode(depth)], ir));

export const onnxTarget: FuzzTarget = {
  name: 'onnx',
  seeds: () => [
    ...repoSeeds(['packages/validate/test-data/tiny.onnx', 'packages/validate/test-data/mean-rgb.onnx', 'test-fixtures/mnist-1bit/mnist-1bit.onnx']),
    // the shapes the lossless codec carries: every field set, unknown fields, FLOAT8/INT4/FLOAT4 tensors, functions, sparse initializers, untyped subgraph values
    ...repoSeeds(['every-field', 'unknown-fields', 'dtype-08', 'dtype-17', 'dtype-22', 'dtype-23', 'dtype-26'].map((n) => `test-fixtures/onnx-roundtrip/synthetic/${n}.onnx`)),
    ...sharedSeeds(['synth_function', 'synth_slice_int64max_attr', 'synth_sparse_initializer', 'test_range_float_type_positive_delta_expanded'].map((n) => `cases/readers/onnx/${n}.onnx`)),
  ],
  generator: onnxGenerator,
  read: (bytes) => decodeModel(bytes),
};
