/**
 * @onebit/onnx-binarize: binarizes the Conv (and optionally Gemm/MatMul) weights of real ONNX
 * graphs under a layer policy, packs already-binary weights losslessly, warns when the weights were
 * not trained for 1 bit, and applies PyTorch state_dicts onto graphs exported from the same model.
 */
export { globToRegExp, matchesGlob } from './glob.js';
export { findWeightCandidates, WEIGHT_OPS, type WeightCandidate, type WeightOp } from './candidates.js';
export { GraphIndex, QONNX_DOMAINS, traceWeight, type ConstValue, type Declaration, type TracedWeight, type TraceResult } from './weight-source.js';
export { rewriteWeights, type RewrittenModel, type WeightRewrite } from './rewrite.js';
export { decideLayers, type DefaultDecision, type LayerDecision, type LayerPolicy } from './policy.js';
export { parseScaleRule } from './scale-rule.js';
export { binarizeCandidate, ownBinaryWeight, type CandidateWeight } from './binarize-weight.js';
export { FLOAT_TRAINED_CORRELATION, bnCorrelation, trainingEvidence, type TrainingEvidence } from './bn-evidence.js';
export { NOT_TRAINED_DISTANCE, notTrainedWarning, type NotTrainedWarning } from './warning.js';
export { binarizeOnnxModel, planBinarization, type BinarizationPlan, type BinarizeOnnxOptions, type BinarizationReport, type BinarizedOnnx, type LayerReport } from './binarize-model.js';
export { applyStateDict, findKeyPrefix, matchStateDict, type ApplyStateDictOptions, type FoldedBatchNorm, type KeyPrefix, type MatchRule, type StateDictAssignment, type StateDictMatch, type StateDictMismatch, type UnmatchedInitializer } from './state-dict.js';
export { formatBinarizationReport, formatStateDictMatch } from './report.js';
