/**
 * Converts any supported input to an ONNX model with binary weights, packed (1 bit per weight
 * plus a decode subgraph onnxruntime folds at load) or float (±scale float32). Today the authors'
 * WRN releases (.mat) are converted; other formats are recognised and reported as not yet
 * convertible.
 */
import { UnsupportedError } from '@onebit/core';
import { readMat } from '@onebit/mat';
import { encodeModel, type OnnxModel } from '@onebit/onnx';
import { countWeights, readWrnFromMat, wrnToOnnx, type WrnNetwork } from '@onebit/wrn';
import { detectFormat, FORMAT_NAMES, type ModelFormat } from './detect-format.js';
import type { ConversionSummary } from './summary.js';

export interface ConvertOptions {
  readonly fileName?: string;
  readonly weights?: 'packed' | 'float';
  readonly opset?: number;
}

export interface ConversionResult {
  readonly model: OnnxModel;
  readonly bytes: Uint8Array;
  readonly summary: ConversionSummary;
}

/** Reads a WRN network from a MAT file's bytes. */
export function readNetwork(bytes: Uint8Array, fileName = 'the file'): WrnNetwork {
  return readWrnFromMat(readMat(bytes), fileName);
}

export function convertToOnnx(bytes: Uint8Array, options: ConvertOptions = {}): ConversionResult {
  const fileName = options.fileName ?? 'the file';
  const format: ModelFormat = detectFormat(bytes, fileName);
  if (format !== 'mat') {
    throw new UnsupportedError(`${fileName} is a ${FORMAT_NAMES[format]}; converting it to ONNX is not supported yet (supported now: the authors' MATLAB and Keras WRN .mat releases).`);
  }
  const net = readNetwork(bytes, fileName);
  return networkToOnnx(net, FORMAT_NAMES[format], options);
}

export function networkToOnnx(net: WrnNetwork, inputFormat: string, options: ConvertOptions = {}): ConversionResult {
  const weights = options.weights ?? 'packed';
  const model = wrnToOnnx(net, { weights, ...(options.opset !== undefined ? { opset: options.opset } : {}) });
  const out = encodeModel(model);
  const { convs, weights: n } = countWeights(net);
  return {
    model,
    bytes: out,
    summary: {
      inputFormat,
      family: net.family,
      weights,
      binaryLayers: convs,
      binaryWeights: n,
      numClasses: net.numClasses,
      inputShape: net.inputShape,
      preprocess: net.preprocess,
      outputBytes: out.length,
      bitsPerWeight: (out.length * 8) / n,
      oneBitFloorBytes: Math.ceil(n / 8),
      notes: net.notes,
    },
  };
}
