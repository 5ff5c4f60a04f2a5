/**
 * Finds the weights of an ONNX graph that binarization may touch: the float32 initializer read as
 * input W of every Conv and, when asked, input B of Gemm and MatMul, in node order. Each records its
 * layout — [out, in, k…] (Conv, Gemm transB=1) or [in, out] (Gemm transB=0, MatMul) — because the
 * fan-in and the output channels depend on it.
 */
import type { Tensor } from '@onebit/core';
import type { OnnxModel } from '@onebit/onnx';

export type WeightOp = 'Conv' | 'Gemm' | 'MatMul';

export interface WeightCandidate {
  /** Initializer name. */
  readonly name: string;
  readonly opType: WeightOp;
  /** Name of the first node that reads it. */
  readonly node: string;
  /** 'out-in': dims [out, in, k…]; 'in-out': dims [in, out]. */
  readonly layout: 'out-in' | 'in-out';
  readonly tensor: Tensor;
}

/** Conv weights, plus Gemm/MatMul weights when `includeGemm`, each once, in node order. */
export function findWeightCandidates(model: OnnxModel, includeGemm = false): WeightCandidate[] {
  const inits = new Map(model.graph.initializers.map((i) => [i.name, i]));
  const out: WeightCandidate[] = [];
  const seen = new Set<string>();
  for (const [index, node] of model.graph.nodes.entries()) {
    if (node.domain !== '' && node.domain !== 'ai.onnx') continue;
    const op = node.opType;
    if (op !== 'Conv' && !(includeGemm && (op === 'Gemm' || op === 'MatMul'))) continue;
    const name = node.inputs[1];
    const init = name === undefined ? undefined : inits.get(name);
    if (!init || init.tensor.dtype !== 'float32' || seen.has(init.name)) continue;
    const rank = init.tensor.dims.length;
    if (op === 'Conv' ? rank < 3 : rank !== 2) continue;
    const transB = op === 'Gemm' && node.attributes['transB']?.type === 'int' && node.attributes['transB'].value === 1;
    seen.add(init.name);
    out.push({ name: init.name, opType: op, node: node.name || `${op}#${index}`, layout: op === 'Conv' || transB ? 'out-in' : 'in-out', tensor: init.tensor });
  }
  return out;
}
