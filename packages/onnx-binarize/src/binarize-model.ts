/**
 * Binarizes a real ONNX graph. Every weight of a Conv, ConvTranspose, Gemm or MatMul node is found
 * (through Constant, Identity, Cast, Reshape/Transpose/Unsqueeze/Squeeze of constants), and each is
 * reported as binarized, already binary or kept with the reason. A weight the graph itself declares
 * binary — Sign(W) times a constant, or a QONNX BipolarQuant / 1-bit Quant — is folded into packed
 * bits with its own scale and the declaring nodes are removed; when a graph declares its
 * binarization, the default policy is the model's own (exactly the declared weights; the rest stay
 * as they are). Other weights follow the layer policy: sign × scale, or, when already ±a (per tensor
 * or per output channel, with PyTorch's exact zeros counted), packed losslessly with their own scale.
 * Readers of a weight that are not binarized keep the original tensor. A run that binarizes nothing
 * is an error unless `allowNone` is set. Returns the new model and a plain-data report, including the
 * not-trained-for-1-bit warning (never raised for a graph that declares its own binarization).
 */
import type { BinaryWeight } from '@onebit/bits';
import { binaryDistance, type ScaleRule } from '@onebit/binarize';
import { ModelError, tensor } from '@onebit/core';
import { replaceWithBinaryWeights, type BinaryWeightMode, type OnnxModel } from '@onebit/onnx';
import { binarizeCandidate, ownBinaryWeight, type CandidateWeight } from './binarize-weight.js';
import { findWeightCandidates, type WeightCandidate, type WeightOp } from './candidates.js';
import { decideLayers, type DefaultDecision, type LayerPolicy } from './policy.js';
import { rewriteWeights, type WeightRewrite } from './rewrite.js';
import { trainingEvidence, type TrainingEvidence } from './bn-evidence.js';
import { NOT_TRAINED_DISTANCE, notTrainedWarning, type NotTrainedWarning } from './warning.js';
import type { Declaration } from './weight-source.js';

export interface BinarizeOnnxOptions {
  /** Default 'he', the paper's sqrt(2/fan_in). */
  readonly scale?: ScaleRule;
  readonly policy?: LayerPolicy;
  /** Also binarize Gemm and MatMul weights by default (otherwise they are kept unless a --binarize rule names them). */
  readonly includeGemm?: boolean;
  /** Also binarize ConvTranspose weights by default. */
  readonly includeConvTranspose?: boolean;
  /** Default 'packed'. */
  readonly weights?: BinaryWeightMode;
  /** Mean binaryDistance above which the report carries a warning (default 0.2). */
  readonly warnDistance?: number;
  /** Return the model unchanged, without an error, when no weight is binarized. */
  readonly allowNone?: boolean;
}

export interface LayerReport {
  /** The initializer (or Constant) the weight comes from, as rules match it. */
  readonly name: string;
  readonly opType: WeightOp;
  readonly node: string;
  readonly dims: readonly number[];
  readonly dtype: string;
  /** binarized: sign × scale; already-binary: was ±a or declared binary, packed losslessly with its own scale; kept: left as it was. */
  readonly action: 'binarized' | 'already-binary' | 'kept';
  /** Why: the policy rule, or the reason the weight cannot be binarized. */
  readonly rule: string;
  /** The scale stored beside the bits (per output channel as a list). */
  readonly scale?: number | readonly number[];
  /** Distance from ±mean|w| before binarization (binarized weights only). */
  readonly binaryDistance?: number;
  /** How the graph declared this weight binary (Sign·Mul, BipolarQuant, Quant). */
  readonly declared?: Declaration;
  /** The paper's he scale sqrt(2/fan_in) for this weight, to compare an own scale with. */
  readonly heScale?: number;
  /** Elements that were exactly 0 and became +scale. */
  readonly zerosToPlus?: number;
  /** The ops the weight was computed by when it is not a plain initializer, e.g. 'Constant → Reshape'. */
  readonly source?: string;
  /** Other readers of the tensor that keep its original value. */
  readonly keptReaders?: readonly string[];
}

export interface BinarizationReport {
  readonly scaleRule: ScaleRule;
  readonly weights: BinaryWeightMode;
  readonly layers: readonly LayerReport[];
  readonly binarized: number;
  readonly alreadyBinary: number;
  readonly kept: number;
  /** Elements stored at 1 bit (binarized + already binary). */
  readonly binaryWeights: number;
  /** Whether the graph declares its own binarization (Sign·Mul or QONNX quantizers). */
  readonly declaredByGraph: boolean;
  /** How the binarized weights were trained, read from BatchNorm statistics (see bn-evidence.ts). */
  readonly evidence: TrainingEvidence;
  readonly warning?: NotTrainedWarning;
}

export interface BinarizedOnnx {
  readonly model: OnnxModel;
  readonly report: BinarizationReport;
  /** The binary weights by initializer name (what the .onebit container stores). */
  readonly binaryWeights: ReadonlyMap<string, BinaryWeight>;
  /** The model just before packing: each binary weight a float32 ±scale initializer named as in binaryWeights. */
  readonly prepared: OnnxModel;
}

function defaultDecision(c: WeightCandidate, declaredByGraph: boolean, options: BinarizeOnnxOptions): DefaultDecision {
  if (declaredByGraph) {
    return c.declared ? { action: 'binarize', rule: `declared by the graph (${c.declared})` } : { action: 'keep', rule: 'not declared binary by the graph, which declares its own binarization' };
  }
  if (c.opType === 'ConvTranspose' && !options.includeConvTranspose) return { action: 'keep', rule: 'ConvTranspose weights are binarized only with --include-convtranspose or a --binarize rule' };
  if ((c.opType === 'Gemm' || c.opType === 'MatMul') && !options.includeGemm) return { action: 'keep', rule: `${c.opType} weights are binarized only with --include-gemm or a --binarize rule` };
  return { action: 'binarize', rule: 'default' };
}

/** What binarizeOnnxModel would do to each weight, and the weights it would write. */
export interface BinarizationPlan {
  readonly candidates: readonly WeightCandidate[];
  /** One per candidate, in the same order. */
  readonly layers: readonly LayerReport[];
  readonly rewrites: readonly WeightRewrite[];
  readonly declaredByGraph: boolean;
}

/**
 * Decides, for every weight of `model`, what binarizeOnnxModel will do (without changing the model),
 * so `onebit inspect` and `onebit convert` always agree. Throws only for weights that cannot be read
 * as declared (a 1-bit QONNX Quant whose levels are not ±a).
 */
export function planBinarization(model: OnnxModel, options: BinarizeOnnxOptions = {}): BinarizationPlan {
  const scaleRule = options.scale ?? 'he';
  const candidates = findWeightCandidates(model);
  const usable = candidates.filter((c) => c.unusable === undefined);
  const declaredByGraph = usable.some((c) => c.declared !== undefined);
  const decisions = decideLayers(
    usable.map((c) => c.name),
    options.policy,
    usable.map((c) => defaultDecision(c, declaredByGraph, options)),
  );
  const decisionOf = new Map(usable.map((c, i) => [c, decisions[i]!]));
  const rewrites: WeightRewrite[] = [];
  const layers: LayerReport[] = candidates.map((c) => {
    const base = {
      name: c.name,
      opType: c.opType,
      node: c.node,
      dims: [...c.dims],
      dtype: c.dtype,
      ...(c.declared ? { declared: c.declared } : {}),
      ...(c.trace && c.trace.path.length > 1 ? { source: c.trace.path.join(' → ') } : c.trace?.path[0] === 'Constant' ? { source: 'Constant' } : {}),
      ...(c.fanIn > 0 ? { heScale: Math.sqrt(2 / c.fanIn) } : {}),
    };
    const d = decisionOf.get(c);
    if (!d) return { ...base, action: 'kept', rule: c.unusable! };
    if (d.action === 'keep') return { ...base, action: 'kept', rule: d.rule };
    const own = ownBinaryWeight(c);
    if (c.declared && !own && d.rule.startsWith('declared')) {
      return { ...base, action: 'kept', rule: `declared binary by the graph (${c.declared}) but not ±a per tensor or per output channel; left as the graph computes it` };
    }
    const binary: CandidateWeight = own ?? binarizeCandidate(c, scaleRule);
    rewrites.push({ candidate: c, binary });
    const scale = reportScale(binary);
    const zeros = binary.zeros > 0 ? { zerosToPlus: binary.zeros } : {};
    if (own) return { ...base, action: 'already-binary', rule: c.declared && d.rule.startsWith('declared') ? d.rule : `${d.rule}; already ±a`, scale, ...zeros };
    return { ...base, action: 'binarized', rule: d.rule, scale, binaryDistance: binaryDistance(tensor('float64', c.dims, c.tensor!.values)), ...zeros };
  });
  return { candidates, layers, rewrites, declaredByGraph };
}

/** Binarizes `model` as described in the file comment; throws ModelError when nothing would be binarized (unless `allowNone`). */
export function binarizeOnnxModel(model: OnnxModel, options: BinarizeOnnxOptions = {}): BinarizedOnnx {
  const scaleRule = options.scale ?? 'he';
  const mode = options.weights ?? 'packed';
  const { candidates, layers, rewrites, declaredByGraph } = planBinarization(model, options);
  const done = layers.filter((l) => l.action !== 'kept').length;
  if (done === 0 && !options.allowNone) throw new ModelError(nothingMessage(layers));
  const rewritten = rewriteWeights(model, rewrites);
  const withReaders = layers.map((l, i) => {
    const c = candidates[i]!;
    const readers = l.action === 'kept' ? undefined : rewritten.keptReaders.get(c.value);
    return readers && readers.length > 0 ? { ...l, keptReaders: readers } : l;
  });
  const binarized = withReaders.filter((l) => l.action === 'binarized');
  const evidence = trainingEvidence(model, binarized.map((l) => l.name));
  const warning = declaredByGraph ? undefined : notTrainedWarning(binarized.map((l) => ({ name: l.name, distance: l.binaryDistance! })), evidence, options.warnDistance ?? NOT_TRAINED_DISTANCE);
  const count = (a: LayerReport['action']) => withReaders.filter((l) => l.action === a).length;
  const report: BinarizationReport = {
    scaleRule,
    weights: mode,
    layers: withReaders,
    binarized: count('binarized'),
    alreadyBinary: count('already-binary'),
    kept: count('kept'),
    binaryWeights: withReaders.filter((l) => l.action !== 'kept').reduce((s, l) => s + l.dims.reduce((a, b) => a * b, 1), 0),
    declaredByGraph,
    evidence,
    ...(warning ? { warning } : {}),
  };
  const packed = replaceWithBinaryWeights(rewritten.model, rewritten.weights, mode);
  return { model: packed, report, binaryWeights: rewritten.weights, prepared: rewritten.model };
}

function nothingMessage(layers: readonly LayerReport[]): string {
  if (layers.length === 0) return 'No weight was binarized: the graph has no Conv, ConvTranspose, Gemm or MatMul node with a weight input; pass --allow-none to write it unchanged.';
  const shown = layers.slice(0, 3).map((l) => `'${l.name}' (${l.opType}): ${l.rule}`).join('; ');
  return `No weight was binarized: all ${layers.length} weights were kept (${shown}${layers.length > 3 ? '; …' : ''}); change the rules or pass --allow-none to write the model unchanged.`;
}

function reportScale(b: CandidateWeight): number | number[] {
  if (b.axisScale) return Array.from(b.axisScale.scale);
  return typeof b.weight.scale === 'number' ? b.weight.scale : Array.from(b.weight.scale);
}
