/**
 * readModel (the engine's read-only ONNX reader) against decodeModel over the 329 committed
 * round-trip fixtures (test-fixtures/onnx-roundtrip: 300 official backend test models, 29 models
 * with every field set): the same opsets, metadata, nodes, attributes, initializers and value
 * types wherever readModel accepts the model, a typed error naming the tensor where it does not
 * (external data, element types onebit has no dtype for), and typed errors for corrupt bytes.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { FormatError, OnebitError, TruncatedError, UnsupportedError, WrongFileError } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import { decodeModel } from './model-proto.js';
import type { OnnxAttribute, OnnxGraph, OnnxModel } from './model.js';
import { readModel } from './read-model.js';

const root = new URL('../../../test-fixtures/onnx-roundtrip/', import.meta.url);
const files = ['official', 'synthetic'].flatMap((folder) =>
  readdirSync(new URL(`${folder}/`, root)).filter((f) => f.endsWith('.onnx')).sort().map((f) => `${folder}/${f}`));
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, root)));

/** The attribute types readModel interprets (graphs and tensor lists it keeps as 'other'). */
const READ_TYPES = new Set(['float', 'int', 'string', 'tensor', 'floats', 'ints', 'strings']);

function attributeView(a: OnnxAttribute): unknown {
  if (!READ_TYPES.has(a.type)) return 'not interpreted';
  if (a.type === 'tensor') return { type: a.type, name: a.value.name, tensor: a.value.tensor };
  const { passThrough: _, ...rest } = a as OnnxAttribute & { passThrough?: unknown };
  return rest;
}

/** What the engine reads of a graph (no passThrough, no subgraphs). */
function graphView(g: OnnxGraph): unknown {
  return {
    name: g.name,
    nodes: g.nodes.map((n) => ({
      name: n.name, opType: n.opType, domain: n.domain, inputs: n.inputs, outputs: n.outputs,
      attributes: Object.fromEntries(Object.entries(n.attributes).map(([k, a]) => [k, attributeView(a)])),
    })),
    initializers: g.initializers.map((i) => ({ name: i.name, dtype: i.tensor.dtype, dims: i.tensor.dims, data: Array.from(i.tensor.data as ArrayLike<number | bigint>) })),
    values: [g.inputs, g.outputs, g.valueInfo].map((vs) => vs.map((v) => ({ name: v.name, elemType: v.elemType, dims: v.dims }))),
  };
}

const modelView = (m: OnnxModel): unknown => ({ ir: m.irVersion, opsets: m.opsetImports, metadata: m.metadata, producer: m.producerName, graph: graphView(m.graph) });

describe('readModel reads what decodeModel reads', () => {
  it('over the 329 round-trip fixtures: equal views, or a typed error for what it does not run', () => {
    let equal = 0;
    const refused: string[] = [];
    for (const name of files) {
      const bytes = read(name);
      const decoded = decodeModel(bytes, name);
      let model: OnnxModel;
      try {
        model = readModel(bytes, name);
      } catch (err) {
        expect(err).toBeInstanceOf(UnsupportedError);
        refused.push(name);
        continue;
      }
      // decodeModel carries initializers of unknown types in passThrough; readModel refuses those models.
      expect(modelView(model), name).toEqual(modelView(decoded));
      equal++;
    }
    // The 15 refused are synthetic models with initializers of types onebit has no dtype for or external data.
    expect(equal).toBe(314);
    expect(refused).toHaveLength(15);
    expect(refused.every((n) => n.startsWith('synthetic/'))).toBe(true);
  });

  it('gives uint8 raw_data as a view into the bytes, not a copy', () => {
    const bytes = read('official/test_bitshift_left_uint8.onnx');
    const model = readModel(bytes);
    const decoded = decodeModel(bytes);
    expect(model.graph.initializers.length).toBe(decoded.graph.initializers.length);
    for (const init of model.graph.initializers) if (init.tensor.dtype === 'uint8') expect(init.tensor.data.buffer).toBe(bytes.buffer);
  });

  it('refuses non-ONNX and corrupt bytes with typed errors', () => {
    expect(() => readModel(new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\n'))).toThrow(WrongFileError);
    const bytes = read('official/test_abs.onnx');
    const cuts = [bytes.length - 1, Math.floor(bytes.length / 2), 20];
    for (const n of cuts) {
      let error: unknown;
      try {
        readModel(bytes.subarray(0, n));
      } catch (err) {
        error = err;
      }
      expect(error, `cut at ${n}`).toBeInstanceOf(OnebitError);
    }
    // A length-delimited field that runs past the end is a TruncatedError naming the field and offset.
    expect(() => readModel(bytes.subarray(0, 20))).toThrow(TruncatedError);
    expect(() => readModel(bytes.subarray(0, 20))).toThrow(/^ONNX: field \d+ of the ModelProto at byte \d+ needs \d+ bytes but only \d+ remain \(file truncated\?\)\.$/);
    const bad = bytes.slice();
    bad[bad.length - 1] = 0x80; // a varint that never ends
    expect(() => readModel(bad)).toThrow(FormatError);
  });
});
