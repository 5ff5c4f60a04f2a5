/**
 * Finds every weight of an ONNX graph's weight-bearing ops — input W of Conv and ConvTranspose,
 * input B of Gemm and MatMul — in node order, and says for each whether it can be binarized: its
 * value traced to constants (weight-source.ts), its layout, its output-channel axis and its fan-in
 * per the ONNX operator spec (Conv W [M, C/g, k…]; ConvTranspose W [C, M/g, k…]; Gemm B [K, N], or
 * [N, K] with transB=1; MatMul B [K, N]), or the reason it cannot (not a constant, not a float, …).
 * A weight read by several nodes is one candidate; readers that are not binarized keep the original.
 */
import { ModelError, type DType } from '@onebit/core';
import type { OnnxModel, OnnxNode } from '@onebit/onnx';
import { GraphIndex, isFloat, traceWeight, type ConstValue, type Declaration, type TracedWeight } from './weight-source.js';

export type WeightOp = 'Conv' | 'ConvTranspose' | 'Gemm' | 'MatMul';
export const WEIGHT_OPS: readonly WeightOp[] = ['Conv', 'ConvTranspose', 'Gemm', 'MatMul'];

export interface WeightCandidate {
  /** What rules match and the report names: the initializer or Constant the weight comes from. */
  readonly name: string;
  /** The value the weight-bearing node reads (equal to `name` for a plain initializer). */
  readonly value: string;
  readonly opType: WeightOp;
  /** Name of the first node that reads it. */
  readonly node: string;
  /** Indices into graph.nodes of the weight-bearing nodes of this op type that read `value` as their weight. */
  readonly consumers: readonly number[];
  /** 'out-in': output channels on axis 0; 'in-out': on axis 1 (MatMul, Gemm transB=0, ConvTranspose). */
  readonly layout: 'out-in' | 'in-out';
  /** The output-channel axis of the weight. */
  readonly outAxis: number;
  /** Inputs summed into one output: ∏ dims except the output axis (ConvTranspose: dims[0]/group · ∏k). */
  readonly fanIn: number;
  readonly dims: readonly number[];
  readonly dtype: DType;
  /** The weight's value, when it is a constant (undefined with `unusable`). */
  readonly tensor?: ConstValue;
  readonly trace?: TracedWeight;
  readonly declared?: Declaration;
  /** Why this weight cannot be binarized at all (kept whatever the policy says). */
  readonly unusable?: string;
}

/** Every weight of a Conv/ConvTranspose/Gemm/MatMul node of the main graph, each once, in node order. */
export function findWeightCandidates(model: OnnxModel): WeightCandidate[] {
  const index = new GraphIndex(model.graph);
  const byValue = new Map<string, { op: WeightOp; consumers: number[]; node: OnnxNode; first: number }>();
  const order: string[] = [];
  model.graph.nodes.forEach((node, i) => {
    if (node.domain !== '' && node.domain !== 'ai.onnx') return;
    const op = node.opType as WeightOp;
    if (!WEIGHT_OPS.includes(op)) return;
    const value = node.inputs[1];
    if (value === undefined || value === '') return;
    // One candidate per (value, op type): the same tensor read by a Conv and a MatMul has two layouts.
    const key = `${op}\u0000${value}`;
    const entry = byValue.get(key);
    if (entry) entry.consumers.push(i);
    else {
      byValue.set(key, { op, consumers: [i], node, first: i });
      order.push(key);
    }
  });
  return order.map((key) => {
    const e = byValue.get(key)!;
    const value = e.node.inputs[1]!;
    const base = { value, opType: e.op, node: e.node.name || `${e.op}#${e.first}`, consumers: e.consumers };
    const traced = traceWeight(index, value);
    if (!traced.ok) return { ...base, name: value, layout: 'out-in', outAxis: 0, fanIn: 0, dims: [], dtype: 'float32', unusable: `not a constant: ${traced.reason}` } satisfies WeightCandidate;
    const t = traced.weight;
    const dims = t.value.dims;
    const layout = weightLayout(e.op, e.node);
    const withValue = { ...base, name: t.root, dims, dtype: t.value.dtype, tensor: t.value, trace: t, ...(t.declared ? { declared: t.declared } : {}) };
    const rankOk = e.op === 'Conv' || e.op === 'ConvTranspose' ? dims.length >= 3 : dims.length === 2;
    if (!rankOk) return { ...withValue, layout: layout.layout, outAxis: layout.outAxis, fanIn: 0, unusable: `a ${e.op} weight of rank ${dims.length} is not binarized` };
    if (!isFloat(t.value.dtype)) return { ...withValue, layout: layout.layout, outAxis: layout.outAxis, fanIn: 0, unusable: `dtype ${t.value.dtype} is not a float weight` };
    const fanIn = weightFanIn(e.op, e.node, dims, t.root);
    return { ...withValue, layout: layout.layout, outAxis: layout.outAxis, fanIn };
  });
}

function weightLayout(op: WeightOp, node: OnnxNode): { layout: 'out-in' | 'in-out'; outAxis: number } {
  const transB = node.attributes['transB'];
  if (op === 'Conv' || (op === 'Gemm' && transB?.type === 'int' && transB.value === 1)) return { layout: 'out-in', outAxis: 0 };
  return { layout: 'in-out', outAxis: 1 };
}

/** fan_in = the number of inputs one output sums over, the n of the He scale sqrt(2/n). */
function weightFanIn(op: WeightOp, node: OnnxNode, dims: readonly number[], name: string): number {
  const kernel = dims.slice(2).reduce((a, b) => a * b, 1);
  let f: number;
  if (op === 'Conv') f = dims[1]! * kernel;
  else if (op === 'ConvTranspose') {
    const g = node.attributes['group'];
    const group = g?.type === 'int' ? g.value : 1;
    f = (dims[0]! / group) * kernel;
  } else f = op === 'Gemm' && node.attributes['transB']?.type === 'int' && node.attributes['transB'].value === 1 ? dims[1]! : dims[0]!;
  if (!(f > 0) || !Number.isInteger(f)) throw new ModelError(`Weight '${name}' of ${op} has shape [${dims.join(', ')}] with fan-in ${f}.`, name);
  return f;
}
