/**
 * The plain-data ONNX model onebit reads and writes: a ModelProto (onnx.proto, IR ≤ 8,
 * https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) with protobufjs `Long`s turned into
 * numbers, int64 tensor data into BigInt64Array and tensors into @onebit/core Tensors. Kept:
 * everything a graph needs to run. Dropped on read: functions, training_info, sparse initializers,
 * quantization annotations, dimension denotations and value_info doc strings.
 */
import type { DType, Tensor } from '@onebit/core';

export interface OnnxModel {
  irVersion: number;
  opsetImports: OnnxOpsetImport[];
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  metadata: Record<string, string>;
  graph: OnnxGraph;
}

/** `domain` '' (or 'ai.onnx') is the default operator set. */
export interface OnnxOpsetImport {
  domain: string;
  version: number;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxInitializer[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  valueInfo: ValueInfo[];
  docString: string;
}

export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  /** '' marks an omitted optional input. */
  inputs: string[];
  outputs: string[];
  attributes: Record<string, OnnxAttribute>;
  docString: string;
}

/**
 * A named TensorProto. While `externalData` is set the tensor's data is not loaded (it is a
 * zero-length array); resolveExternalData() loads it and removes the reference.
 */
export interface OnnxInitializer {
  name: string;
  tensor: Tensor;
  externalData?: OnnxExternalData;
}

/** Where an external tensor's bytes live: `length` bytes at `offset` of the file `location`. */
export interface OnnxExternalData {
  location: string;
  offset: number;
  /** Absent means "to the end of the file". */
  length?: number;
}

/** A graph input, output or value_info entry. `dims` absent means the rank is unknown. */
export interface ValueInfo {
  name: string;
  elemType: DType;
  /** A number per fixed dimension, the dim_param name per symbolic one, undefined when unknown. */
  dims?: Array<number | string | undefined>;
}

/** An attribute value tagged with its AttributeType (strings are decoded as UTF-8). */
export type OnnxAttribute =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: string }
  | { type: 'tensor'; value: OnnxInitializer }
  | { type: 'graph'; value: OnnxGraph }
  | { type: 'floats'; value: number[] }
  | { type: 'ints'; value: number[] }
  | { type: 'strings'; value: string[] }
  | { type: 'tensors'; value: OnnxInitializer[] }
  | { type: 'graphs'; value: OnnxGraph[] };
