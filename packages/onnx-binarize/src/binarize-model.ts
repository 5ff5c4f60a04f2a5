/**
 * Binarizes a real ONNX graph: finds the Conv (and optionally Gemm/MatMul) weights, applies the
 * layer policy, turns each selected weight into sign × scale — or, when it is already ±a (one a per
 * tensor or per output channel), packs it losslessly with its own scale — and emits the packed or
 * float variant through replaceWithBinaryWeights. Every other node and initializer is untouched.
 * Returns the new model and a plain-data report, including the not-trained-for-1-bit warning.
 */
import type { BinaryWeight } from '@onebit/bits';
import { binaryDistance, detectBinary, type ScaleRule } from '@onebit/binarize';
import { packSigns } from '@onebit/bits';
import { toFloat32 } from '@onebit/core';
import { replaceWithBinaryWeights, type BinaryWeightMode, type OnnxModel } from '@onebit/onnx';
import { binarizeCandidate } from './binarize-weight.js';
import { findWeightCandidates, type WeightOp } from './candidates.js';
import { decideLayers, type LayerPolicy } from './policy.js';
import { trainingEvidence, type TrainingEvidence } from './bn-evidence.js';
import { NOT_TRAINED_DISTANCE, notTrainedWarning, type NotTrainedWarning } from './warning.js';

export interface BinarizeOnnxOptions {
  /** Default 'he', the paper's sqrt(2/fan_in). */
  readonly scale?: ScaleRule;
  readonly policy?: LayerPolicy;
  /** Also consider Gemm and MatMul weights (default: Conv only). */
  readonly includeGemm?: boolean;
  /** Default 'packed'. */
  readonly weights?: BinaryWeightMode;
  /** Mean binaryDistance above which the report carries a warning (default 0.2). */
  readonly warnDistance?: number;
}

export interface LayerReport {
  readonly name: string;
  readonly opType: WeightOp;
  readonly node: string;
  readonly dims: readonly number[];
  /** binarized: sign × scale; already-binary: was ±a, packed losslessly; kept: left float. */
  readonly action: 'binarized' | 'already-binary' | 'kept';
  readonly rule: string;
  /** The scale stored beside the bits (per output channel as a list). */
  readonly scale?: number | readonly number[];
  /** Distance from ±mean|w| before binarization (binarized weights only). */
  readonly binaryDistance?: number;
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
  /** How the binarized weights were trained, read from BatchNorm statistics (see bn-evidence.ts). */
  readonly evidence: TrainingEvidence;
  readonly warning?: NotTrainedWarning;
}

export interface BinarizedOnnx {
  readonly model: OnnxModel;
  readonly report: BinarizationReport;
  /** The binary weights by initializer name (what the .onebit container stores). */
  readonly binaryWeights: ReadonlyMap<string, BinaryWeight>;
}

export function binarizeOnnxModel(model: OnnxModel, options: BinarizeOnnxOptions = {}): BinarizedOnnx {
  const scaleRule = options.scale ?? 'he';
  const mode = options.weights ?? 'packed';
  const candidates = findWeightCandidates(model, options.includeGemm ?? false);
  const decisions = decideLayers(candidates.map((c) => c.name), options.policy);
  const replacements = new Map<string, BinaryWeight>();
  const layers: LayerReport[] = candidates.map((c, i) => {
    const d = decisions[i]!;
    const base = { name: c.name, opType: c.opType, node: c.node, dims: [...c.tensor.dims], rule: d.rule };
    if (d.action === 'keep') return { ...base, action: 'kept' };
    const already = detectBinary(c.tensor);
    if (already && already.kind !== 'bits01') {
      const w: BinaryWeight = { dims: [...c.tensor.dims], bits: packSigns(toFloat32(c.tensor.dtype, c.tensor.data)), scale: already.scale };
      replacements.set(c.name, w);
      return { ...base, action: 'already-binary', rule: `${d.rule}; already ±a`, scale: reportScale(w.scale) };
    }
    const w = binarizeCandidate(c, scaleRule);
    replacements.set(c.name, w);
    return { ...base, action: 'binarized', scale: reportScale(w.scale), binaryDistance: binaryDistance(c.tensor) };
  });
  const binarized = layers.filter((l) => l.action === 'binarized');
  const evidence = trainingEvidence(model, binarized.map((l) => l.name));
  const warning = notTrainedWarning(binarized.map((l) => ({ name: l.name, distance: l.binaryDistance! })), evidence, options.warnDistance ?? NOT_TRAINED_DISTANCE);
  const count = (a: LayerReport['action']) => layers.filter((l) => l.action === a).length;
  const report: BinarizationReport = {
    scaleRule,
    weights: mode,
    layers,
    binarized: count('binarized'),
    alreadyBinary: count('already-binary'),
    kept: count('kept'),
    binaryWeights: layers.filter((l) => l.action !== 'kept').reduce((s, l) => s + l.dims.reduce((a, b) => a * b, 1), 0),
    evidence,
    ...(warning ? { warning } : {}),
  };
  return { model: replaceWithBinaryWeights(model, replacements, mode), report, binaryWeights: replacements };
}

function reportScale(scale: number | Float32Array): number | number[] {
  return typeof scale === 'number' ? scale : Array.from(scale);
}
