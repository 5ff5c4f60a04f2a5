/**
 * ONNX fidelity (issue 11): decodeModel → encodeModel with nothing changed gives back every byte of
 * 300 official ONNX backend test models and 29 synthetic models with every ModelProto / GraphProto /
 * NodeProto / TensorProto / ValueInfoProto field set, data types 0–26, sequence/map/optional/sparse
 * types, external data and unknown fields (test-fixtures/onnx-roundtrip, written by its generate.py
 * with Debian's python3-onnx); so does re-encoding the model and graph from their plain data; and a
 * change to one tensor changes only that tensor's bytes. The shared readers/onnx cases are pinned.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from './model-proto.js';
import type { OnnxModel } from './model.js';
import { payload, splitFields } from './wire-fields.js';

const root = new URL('../../../test-fixtures/onnx-roundtrip/', import.meta.url);
const files = ['official', 'synthetic'].flatMap((folder) =>
  readdirSync(new URL(`${folder}/`, root)).filter((f) => f.endsWith('.onnx')).sort().map((f) => `${folder}/${f}`));
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, root)));
const shared = (name: string): Uint8Array => new Uint8Array(readFileSync(sharedPath(`cases/readers/onnx/${name}`)));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
/** Re-encodes with the model and graph objects copied, so both are written from their plain data. */
const rewritten = (m: OnnxModel): Uint8Array => encodeModel({ ...m, graph: { ...m.graph } });
const fieldNumbers = (b: Uint8Array | undefined): number[] => (b ? splitFields(b, 'test').map((f) => f.number) : []);

describe('ONNX round trip over the official backend test models and every-field models', () => {
  it('has the committed fixtures (300 official + 29 synthetic)', () => {
    expect(files.filter((f) => f.startsWith('official/'))).toHaveLength(300);
    expect(files.filter((f) => f.startsWith('synthetic/'))).toHaveLength(29);
  });
  it('gives every model back byte for byte, unchanged and with model and graph re-encoded from plain data', () => {
    const mismatched: string[] = [];
    for (const name of files) {
      const bytes = read(name);
      const model = decodeModel(bytes, name);
      if (hex(encodeModel(model)) !== hex(bytes)) mismatched.push(`${name} (unchanged)`);
      if (hex(rewritten(model)) !== hex(bytes)) mismatched.push(`${name} (re-encoded)`);
    }
    expect(mismatched).toEqual([]);
  });
  it('carries what onebit does not interpret in passThrough, by field number', () => {
    const m = decodeModel(read('synthetic/every-field.onnx'));
    expect(fieldNumbers(m.passThrough)).toEqual([20, 25]); // training_info, functions
    expect(new Set(fieldNumbers(m.graph.passThrough))).toEqual(new Set([5, 14, 15])); // carried initializers, quantization_annotation, sparse_initializer
    expect(m.graph.initializers.map((i) => i.name)).toEqual(['w', 'wf', 'wi', 'wd', 'wu', 'wh', 'wext']);
    expect(m.graph.initializers.find((i) => i.name === 'wi')!.tensor.data).toEqual(new BigInt64Array([2n ** 63n - 1n, -(2n ** 63n)]));
    expect(m.graph.initializers.find((i) => i.name === 'wext')!.externalData).toEqual({ location: 'weights.bin', offset: 0, length: 16 });
    expect(fieldNumbers(m.graph.initializers[0]!.passThrough)).toEqual([12]); // doc_string
    expect(m.graph.inputs[0]).toMatchObject({ name: 'x', elemType: 'float32', dims: ['N', 3] });
    expect(fieldNumbers(m.graph.inputs[0]!.passThrough)).toEqual([2, 3]); // a type with denotations, doc_string
    expect(m.graph.outputs.map((o) => o.elemType)).toEqual(['float32', undefined, undefined, undefined, undefined]); // sequence, map, optional, sparse
    const call = m.graph.nodes.find((n) => n.name === 'call')!;
    expect(call.attributes['i']).toEqual({ type: 'int', value: -(2 ** 63), int64: -(2n ** 63n) });
    expect(call.attributes['ints']).toEqual({ type: 'ints', value: [2 ** 63, -1], int64: [2n ** 63n - 1n, -1n] });
    expect(call.attributes['tp']!.type).toBe('other');
    expect(call.attributes['sparse']!.type).toBe('other');
    expect(m.graph.nodes.find((n) => n.opType === 'Constant')!.attributes['value']!.type).toBe('other'); // a STRING tensor
    expect(fieldNumbers(m.graph.nodes[0]!.attributes['alpha']!.passThrough)).toEqual([13]); // attribute doc_string
    const u = decodeModel(read('synthetic/unknown-fields.onnx'));
    expect(fieldNumbers(u.passThrough)).toEqual([20, 25, 994]);
    expect(fieldNumbers(u.graph.nodes[0]!.passThrough)).toEqual([998]);
    expect(fieldNumbers(u.graph.inputs[0]!.passThrough)).toEqual([2, 3, 996]);
  });
  it('data types 0–26: values of types without an onebit dtype are untyped views, their tensors carried whole', () => {
    for (let dt = 0; dt <= 26; dt++) {
      const m = decodeModel(read(`synthetic/dtype-${String(dt).padStart(2, '0')}.onnx`));
      const known = [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 16].includes(dt);
      expect(m.graph.initializers.length, `data type ${dt}`).toBe(known ? 1 : 0);
      expect(m.graph.outputs[0]!.elemType === undefined, `data type ${dt}`).toBe(!known);
    }
  });
  it('a changed tensor changes only its own bytes; everything else, carried parts included, stays', () => {
    const bytes = read('synthetic/unknown-fields.onnx');
    const m = decodeModel(bytes);
    const w = m.graph.initializers[0]!;
    const changed = { ...m, graph: { ...m.graph, initializers: [{ ...w, tensor: { ...w.tensor, data: Float32Array.from([9, 9, 9, 9, 9, 9]) } }, ...m.graph.initializers.slice(1)] } };
    const out = encodeModel(changed as OnnxModel);
    const graphFields = (b: Uint8Array) => splitFields(payload(splitFields(b, 'model').find((f) => f.number === 7)!), 'graph');
    const modelRest = (b: Uint8Array) => splitFields(b, 'model').filter((f) => f.number !== 7).map((f) => hex(f.bytes));
    expect(modelRest(out)).toEqual(modelRest(bytes));
    const [before, after] = [graphFields(bytes), graphFields(out)];
    expect(after.map((f) => f.number)).toEqual(before.map((f) => f.number));
    const differing = after.map((f, i) => i).filter((i) => hex(after[i]!.bytes) !== hex(before[i]!.bytes));
    expect(differing).toHaveLength(1);
    const again = decodeModel(out);
    expect(again.graph.initializers[0]!.tensor.data).toEqual(Float32Array.from([9, 9, 9, 9, 9, 9]));
    expect(fieldNumbers(again.graph.initializers[0]!.passThrough)).toEqual([12, 997]);
  });
});

describe('shared readers/onnx cases', () => {
  it('synth_sparse_initializer.onnx: the sparse initializer is kept through a round trip', () => {
    const bytes = shared('synth_sparse_initializer.onnx');
    const m = decodeModel(bytes);
    expect(fieldNumbers(m.graph.passThrough)).toEqual([15]);
    expect(hex(encodeModel(m))).toBe(hex(bytes));
    expect(hex(rewritten(m))).toBe(hex(bytes));
  });
  it('synth_function.onnx: the model-local function is kept', () => {
    const bytes = shared('synth_function.onnx');
    const m = decodeModel(bytes);
    expect(fieldNumbers(m.passThrough)).toEqual([25]);
    expect(hex(rewritten(m))).toBe(hex(bytes));
  });
  it('synth_slice_int64max_attr.onnx: ends = INT64_MAX is read and written exactly', () => {
    const bytes = shared('synth_slice_int64max_attr.onnx');
    const m = decodeModel(bytes);
    const slice = m.graph.nodes.find((n) => n.opType === 'Slice')!;
    expect(slice.attributes['ends']).toEqual({ type: 'ints', value: [2 ** 63], int64: [2n ** 63n - 1n] });
    // a copy of the attribute is written from its plain data: the exact int64 goes back
    slice.attributes['ends'] = { ...slice.attributes['ends']! };
    expect(hex(encodeModel({ ...m, graph: { ...m.graph } }))).toBe(hex(bytes));
  });
  it('official models with untyped If/Loop subgraph values are read and round-trip', () => {
    for (const name of ['test_affine_grid_2d_expanded.onnx', 'test_range_float_type_positive_delta_expanded.onnx']) {
      const bytes = shared(name);
      const m = decodeModel(bytes);
      expect(hex(rewritten(m))).toBe(hex(bytes));
    }
  });
});
