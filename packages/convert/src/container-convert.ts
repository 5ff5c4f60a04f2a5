/**
 * Conversions to and from the .onebit container: .mat / onebit-emitted WRN ONNX → .onebit, and
 * .onebit → ONNX (packed or float). A container read back is checked (sizes, offsets, CRCs) by
 * @onebit/container before any tensor is used.
 */
import { readContainer, writeContainer, type Container } from '@onebit/container';
import { UnsupportedError } from '@onebit/core';
import { decodeModel, encodeModel } from '@onebit/onnx';
import { countWeights, type WrnNetwork } from '@onebit/wrn';
import { networkToOnnx, readNetwork, type ConversionResult, type ConvertOptions } from './convert.js';
import { detectFormat, FORMAT_NAMES } from './detect-format.js';
import { isOnebitWrnOnnx, onnxToWrn } from './onnx-to-wrn.js';
import { containerToWrn, isWrnContainer, wrnToContainer } from './wrn-container.js';
import { containerToGraph, graphToContainer, isGraphContainer } from './graph-container.js';
import type { GraphConversionResult } from './convert-graph.js';
import { graphShapes, PREPROCESS_KEY } from './summary.js';

export interface ContainerResult {
  readonly container: Container;
  readonly bytes: Uint8Array;
  readonly network: WrnNetwork;
}

/** Any input that holds one of the authors' WRNs → the WrnNetwork. */
export function readAnyNetwork(bytes: Uint8Array, fileName = 'the file'): WrnNetwork {
  const format = detectFormat(bytes, fileName);
  if (format === 'mat') return readNetwork(bytes, fileName);
  if (format === 'onebit') {
    const c = readContainer(bytes);
    if (isWrnContainer(c)) return containerToWrn(c);
  }
  if (format === 'onnx') {
    const model = decodeModel(bytes, fileName);
    if (isOnebitWrnOnnx(model)) return onnxToWrn(model);
  }
  throw new UnsupportedError(`${fileName} is a ${FORMAT_NAMES[format]} that does not hold a network onebit can store in a .onebit container yet (supported: the authors' WRN releases and onebit's ONNX or .onebit files of them).`);
}

export function convertToContainer(bytes: Uint8Array, fileName = 'the file'): ContainerResult {
  const network = readAnyNetwork(bytes, fileName);
  const container = wrnToContainer(network);
  return { container, bytes: writeContainer(container), network };
}

export function containerToOnnx(bytes: Uint8Array, options: ConvertOptions = {}): ConversionResult {
  const format = detectFormat(bytes, options.fileName);
  if (format === 'onebit') {
    const c = readContainer(bytes);
    if (isGraphContainer(c)) return graphContainerToOnnx(c, options.weights ?? 'packed');
  }
  const network = readAnyNetwork(bytes, options.fileName);
  // The summary's input label names the file's real format (a .mat is not a container).
  return networkToOnnx(network, FORMAT_NAMES[format], options);
}



/** A binarized ONNX graph (from convertGraphModel) as a .onebit container. */
export function graphResultToContainer(result: GraphConversionResult, sourceName: string): { container: Container; bytes: Uint8Array } {
  const container = graphToContainer(result.source, result.binaryWeights, { source: sourceName, scaleRule: result.binarization.scaleRule });
  return { container, bytes: writeContainer(container) };
}

function graphContainerToOnnx(c: Container, weights: 'packed' | 'float'): ConversionResult {
  const model = containerToGraph(c, weights);
  const out = encodeModel(model);
  let n = 0;
  for (const t of c.tensors) if (t.role === 'binary-weight') n += t.weight.dims.reduce((a, b) => a * b, 1);
  return {
    model,
    bytes: out,
    summary: {
      inputFormat: FORMAT_NAMES.onebit,
      family: 'ONNX graph',
      weights,
      binaryLayers: c.tensors.length,
      binaryWeights: n,
      ...graphShapes(model),
      preprocess: model.metadata[PREPROCESS_KEY] ?? 'not recorded (pass --preprocess)',
      outputBytes: out.length,
      bitsPerWeight: n ? (out.length * 8) / n : 0,
      oneBitFloorBytes: Math.ceil(n / 8),
      notes: {},
    },
  };
}
