/** @onebit/onnx: read and write ONNX ModelProto as plain data, build graphs, emit packed 1-bit weights. */
export type { OnnxAttribute, OnnxExternalData, OnnxGraph, OnnxInitializer, OnnxModel, OnnxNode, OnnxOpsetImport, ValueInfo } from './model.js';
export { decodeModel, encodeModel, defaultMaxOnnxTensorBytes, type DecodeModelOptions } from './model-proto.js';
export { sniffOnnx } from './sniff.js';
export { resolveExternalData, DEFAULT_MAX_EXTERNAL_BYTES, type ReadExternalFile, type ResolveExternalDataOptions } from './external-data.js';
export { DATA_TYPE, dtypeOfDataType } from './data-type.js';
export { hasCanonicalEncoding, MAX_TENSOR_ELEMENTS } from './tensor-proto.js';
export { MAX_GRAPH_DEPTH } from './graph-proto.js';
export { irVersionForOpset, MIN_OPSET, MAX_OPSET } from './ir-version.js';
export { GraphBuilder, floatAttr, floatsAttr, type AttrInput, type BuildOptions, type NodeOptions } from './graph-builder.js';
export { addBinaryWeight, binaryWeightValues, bitTable, BIT_TABLE_NAME, type BinaryWeightMode } from './emit-binary-weight.js';
export { liftBinaryWeights, type LiftedModel } from './lift-binary-weights.js';
export { replaceWithBinaryWeights, defaultOpset } from './pack-model.js';
export { binaryGraphToOnnx, WEIGHTS_METADATA_KEY, type BinaryGraph } from './binary-graph.js';
export { addStackedBinaryWeights, findStackedBinaryWeights, PACKING_METADATA_KEY, STACKED_PACKING, STACKED_BITS_NAME, MIN_STACKED_OPSET, type StackedWeights } from './stacked-binary-weights.js';
