/**
 * The one model representation every onebit importer produces and every exporter consumes: an
 * ONNX model in which each binary weight is a float32 initializer of its shape (its values are
 * not used and may be absent — GraphBuilder.binaryWeightSlot — so a 26 M-weight network is not
 * expanded to floats just to be packed again), plus the weights themselves as sign bits + scale, by initializer
 * name. Exported as ONNX it becomes packed (1 bit per weight + decode subgraph) or float (±scale).
 */
import type { BinaryWeight } from '@onebit/bits';
import type { BinaryWeightMode } from './emit-binary-weight.js';
import type { OnnxModel } from './model.js';
import { replaceWithBinaryWeights } from './pack-model.js';

export interface BinaryGraph {
  readonly model: OnnxModel;
  /** The binary weights by initializer name, in initializer order. */
  readonly weights: ReadonlyMap<string, BinaryWeight>;
}

/** Metadata key recording how an exported model stores its binary weights ('packed' or 'float'). */
export const WEIGHTS_METADATA_KEY = 'onebit.weights';

/** The ONNX model of `graph` with its binary weights stored as `mode`; metadata `onebit.weights` says which. */
export function binaryGraphToOnnx(graph: BinaryGraph, mode: BinaryWeightMode): OnnxModel {
  const model = replaceWithBinaryWeights(graph.model, graph.weights, mode);
  return { ...model, metadata: { ...model.metadata, [WEIGHTS_METADATA_KEY]: mode } };
}
