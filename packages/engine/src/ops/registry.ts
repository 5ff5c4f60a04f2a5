/** The operators the engine implements (default ONNX domain), by op_type. */
import type { OpBuilder } from '../op-types.js';
import { conv } from './conv.js';
import { batchNormalization, binaryOp, channelAffine, relu } from './elementwise.js';
import { gemm, matMul } from './gemm.js';
import { concat, flatten, identity, pad, reshape, slice, squeeze, unsqueeze } from './layout.js';
import { averagePool, globalAveragePool, globalMaxPool, maxPool } from './pool.js';
import { reduceMax, reduceMean, reduceSum } from './reduce.js';
import { softmax } from './softmax.js';

export const OPS: Readonly<Record<string, OpBuilder>> = {
  Conv: conv,
  Add: binaryOp('Add'),
  Sub: binaryOp('Sub'),
  Mul: binaryOp('Mul'),
  Div: binaryOp('Div'),
  Relu: relu,
  BatchNormalization: batchNormalization,
  AveragePool: averagePool,
  MaxPool: maxPool,
  GlobalAveragePool: globalAveragePool,
  GlobalMaxPool: globalMaxPool,
  ReduceSum: reduceSum,
  ReduceMean: reduceMean,
  ReduceMax: reduceMax,
  Reshape: reshape,
  Flatten: flatten,
  Identity: identity,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Concat: concat,
  Pad: pad,
  Slice: slice,
  Gemm: gemm,
  MatMul: matMul,
  Softmax: softmax,
  /** Internal: Mul + Add (+ Relu) by per-channel constants, formed by fuse.ts. */
  'onebit.ChannelAffine': channelAffine,
};

/** The ONNX op types the engine accepts. */
export const SUPPORTED_OPS: readonly string[] = Object.keys(OPS).filter((o) => !o.startsWith('onebit.'));
