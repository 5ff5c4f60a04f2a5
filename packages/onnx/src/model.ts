/**
 * The plain-data ONNX model onebit reads and writes: a ModelProto (onnx.proto, IR ≤ 8,
 * https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) with protobufjs `Long`s turned into
 * numbers, int64 tensor data into BigInt64Array and tensors into @onebit/core Tensors. Nothing is
 * dropped: every field onebit does not interpret (functions, training_info, sparse initializers,
 * quantization annotations, denotations, value_info doc strings, metadata_props of graphs and nodes,
 * tensors of data types without an onebit dtype, fields of newer ONNX versions, unknown fields) is
 * kept as its original protobuf bytes in the `passThrough` of the object it belongs to, and
 * encodeModel writes it back; an object left unchanged is written back byte for byte.
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
  /** ModelProto fields onebit does not interpret (training_info, functions, ...), as protobuf bytes. */
  passThrough?: Uint8Array;
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
  /**
   * GraphProto fields onebit does not interpret (sparse_initializer, quantization_annotation,
   * metadata_props, initializers of data types without an onebit dtype, ...), as protobuf bytes.
   */
  passThrough?: Uint8Array;
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
  /** NodeProto fields onebit does not interpret (overload, metadata_props, ...), as protobuf bytes. */
  passThrough?: Uint8Array;
}

/**
 * A named TensorProto. While `externalData` is set the tensor's data is not loaded (it is a
 * zero-length array); resolveExternalData() loads it and removes the reference.
 */
export interface OnnxInitializer {
  name: string;
  tensor: Tensor;
  externalData?: OnnxExternalData;
  /** TensorProto fields onebit does not interpret (doc_string, metadata_props, ...), as protobuf bytes. */
  passThrough?: Uint8Array;
}

/** Where an external tensor's bytes live: `length` bytes at `offset` of the file `location`. */
export interface OnnxExternalData {
  location: string;
  offset: number;
  /** Absent means "to the end of the file". */
  length?: number;
}

/**
 * A graph input, output or value_info entry. `dims` absent means the rank is unknown. `elemType` is
 * absent for an untyped value (allowed in subgraphs) and for a non-tensor type (sequence, map,
 * optional, sparse tensor) or an element type without an onebit dtype; such a type is kept in
 * `passThrough` and written back unchanged.
 */
export interface ValueInfo {
  name: string;
  elemType?: DType;
  /** A number per fixed dimension, the dim_param name per symbolic one, undefined when unknown. */
  dims?: Array<number | string | undefined>;
  /** ValueInfoProto fields onebit does not interpret (doc_string, a type it cannot represent, ...). */
  passThrough?: Uint8Array;
}

/**
 * An attribute value tagged with its AttributeType (strings are decoded as UTF-8). An int64 beyond
 * ±(2^53 − 1) (INT64_MAX in old `Slice ends`) is `value` rounded plus its exact `int64`, written back
 * exactly while `value` is unchanged. `other` is an attribute onebit does not interpret (TYPE_PROTO,
 * SPARSE_TENSOR, a function's ref_attr_name, a tensor of a data type onebit has no dtype for), kept
 * as its AttributeProto bytes.
 */
export type OnnxAttribute = (
  | { type: 'float'; value: number }
  | { type: 'int'; value: number; int64?: bigint }
  | { type: 'string'; value: string }
  | { type: 'tensor'; value: OnnxInitializer }
  | { type: 'graph'; value: OnnxGraph }
  | { type: 'floats'; value: number[] }
  | { type: 'ints'; value: number[]; int64?: bigint[] }
  | { type: 'strings'; value: string[] }
  | { type: 'tensors'; value: OnnxInitializer[] }
  | { type: 'graphs'; value: OnnxGraph[] }
  | { type: 'other'; value: Uint8Array }
) & { /** AttributeProto fields onebit does not interpret (doc_string, ...). */ passThrough?: Uint8Array };
