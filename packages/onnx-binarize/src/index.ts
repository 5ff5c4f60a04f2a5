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
<<<<<<< HEAD
export { binarizeOnnxModel, type BinarizeOnnxOptions, type BinarizationReport, type LayerReport } from './binarize-model.js';
export { applyStateDict, findKeyPrefix, matchStateDict, type ApplyStateDictOptions, type FoldedBatchNorm, type KeyPrefix, type MatchRule, type StateDictAssignment, type StateDictMatch, type StateDictMismatch, type UnmatchedInitializer } from './state-dict.js';
=======
export { binarizeOnnxModel, planBinarization, type BinarizationPlan, type BinarizeOnnxOptions, type BinarizationReport, type BinarizedOnnx, type LayerReport } from './binarize-model.js';
export { applyStateDict, matchStateDict, type MatchRule, type StateDictAssignment, type StateDictMatch, type StateDictMismatch, type UnmatchedInitializer } from './state-dict.js';
>>>>>>> 6664827 (onnx-binarize: every Conv/ConvTranspose/Gemm/MatMul weight is traced to its constants and reported; graph-declared binarization (Sign·Mul, QONNX BipolarQuant/1-bit Quant) is folded with its own scale; fp16/bf16/fp64 weights decode to their own dtype; shared weights change only for the binarized reader; ±a with exact zeros recognised along the real output axis; nothing binarized fails unless --allow-none)
export { formatBinarizationReport, formatStateDictMatch } from './report.js';
