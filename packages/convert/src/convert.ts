/**
 * Converts any supported input to an ONNX model with binary weights, packed (1 bit per weight
 * plus a decode subgraph onnxruntime folds at load) or float (±scale float32): the authors' WRN
 * releases (.mat) through @onebit/wrn, ONNX models and PyTorch/safetensors state_dicts (applied
 * onto an exported ONNX graph) through convert-graph.ts. A .onebit container is not an input.
 */
import type { ScaleRule } from '@onebit/binarize';
import { UnsupportedError } from '@onebit/core';
import type { BinarizationReport, LayerPolicy, StateDictMatch } from '@onebit/onnx-binarize';
import { readMat } from '@onebit/mat';
import { encodeModel, type OnnxModel } from '@onebit/onnx';
import { countWeights, readWrnFromMat, wrnToOnnx, type WrnNetwork } from '@onebit/wrn';
import { detectFormat, FORMAT_NAMES, type ModelFormat } from './detect-format.js';
import { convertGraphModelSync } from './convert-graph.js';
import type { ConversionSummary } from './summary.js';

export { convertGraphModel, convertGraphModelSync, type GraphConvertOptions, type GraphConversionResult } from './convert-graph.js';

export interface ConvertOptions {
  readonly fileName?: string;
  readonly weights?: 'packed' | 'float';
  /** Target opset of the generated WRN graph (.mat inputs only; ONNX inputs keep their opset). */
  readonly opset?: number;
  /** ONNX and state_dict inputs: the scale rule (default 'he'). */
  readonly scale?: ScaleRule;
  /** ONNX and state_dict inputs: which weights to binarize. */
  readonly policy?: LayerPolicy;
  readonly includeGemm?: boolean;
  readonly includeConvTranspose?: boolean;
  /** ONNX and state_dict inputs: write the model unchanged instead of failing when nothing is binarized. */
  readonly allowNone?: boolean;
  /** State_dict inputs: the ONNX graph exported from the same model. */
  readonly graph?: Uint8Array;
  readonly graphFileName?: string;
  /** ONNX and state_dict inputs: the preprocessing preset to record in `onebit.preprocess`. */
  readonly preprocess?: string;
  /** State_dict inputs: accept state_dict tensors no graph parameter takes. */
  readonly allowUnused?: boolean;
}

export interface ConversionResult {
  readonly model: OnnxModel;
  readonly bytes: Uint8Array;
  readonly summary: ConversionSummary;
  /** ONNX and state_dict inputs: what happened to each weight, and the not-trained warning. */
  readonly binarization?: BinarizationReport;
  /** State_dict inputs: how graph initializers were matched to keys. */
  readonly stateDict?: StateDictMatch;
}

/** Reads a WRN network from a MAT file's bytes. */
export function readNetwork(bytes: Uint8Array, fileName = 'the file'): WrnNetwork {
  return readWrnFromMat(readMat(bytes), fileName);
}

export function convertToOnnx(bytes: Uint8Array, options: ConvertOptions = {}): ConversionResult {
  const fileName = options.fileName ?? 'the file';
  const format: ModelFormat = detectFormat(bytes, fileName);
  if (format === 'onnx' || format === 'torch-zip' || format === 'torch-legacy' || format === 'safetensors') {
    // Synchronous path; external-data ONNX files need convertGraphModel with a file reader.
    return convertGraphModelSync(bytes, format, options);
  }
  if (format !== 'mat') {
    throw new UnsupportedError(`${fileName} is a ${FORMAT_NAMES[format]}, which is already an output of onebit; convert the model it came from (.mat, .onnx, .pt or .safetensors).`);
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
