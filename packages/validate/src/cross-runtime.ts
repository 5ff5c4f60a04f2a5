/**
 * Cross-runtime parity for `--runtime all`: the same preprocessed images go through each runtime
 * and every pair of runtimes is compared on top-1 agreement and max |Δlogit|. The tolerances are
 * named constants: onnxruntime-node and onnxruntime-web run the same CPU kernels (MLAS) and gave
 * bit-identical logits on the reference models, so the allowed logit difference is tiny, relative
 * to the largest logit; top-1 predictions must agree on every image.
 */
import { parity } from './parity.js';
import type { RuntimeName } from './runner-types.js';

/** Minimum fraction of images whose top-1 class must be equal in two runtimes. */
export const RUNTIME_MIN_AGREEMENT = 1;
/** Largest allowed |Δlogit| between two runtimes, as a fraction of the largest |logit|. */
export const RUNTIME_MAX_REL_LOGIT_DIFF = 1e-5;

export interface RuntimePairParity {
  a: RuntimeName;
  b: RuntimeName;
  agreement: number;
  /** Image indices (in the whole data set) whose top-1 differs. */
  disagreements: number[];
  maxAbsLogitDiff: number;
  /** max |logit| of runtime a (finite values). */
  maxAbsLogit: number;
  /** maxAbsLogitDiff / maxAbsLogit. */
  relLogitDiff: number;
  withinTolerance: boolean;
}

/** Whether a pair's agreement and relative logit difference are within the named tolerances. */
export function withinRuntimeTolerance(agreement: number, relLogitDiff: number): boolean {
  return agreement >= RUNTIME_MIN_AGREEMENT && relLogitDiff <= RUNTIME_MAX_REL_LOGIT_DIFF;
}

/** Compares every pair of runtimes' logits for the same images (first image index `offset`). */
export function crossRuntimeParity(logits: ReadonlyArray<{ runtime: RuntimeName; logits: Float32Array }>, numClasses: number, offset = 0): RuntimePairParity[] {
  const pairs: RuntimePairParity[] = [];
  for (let i = 0; i < logits.length; i++) {
    for (let j = i + 1; j < logits.length; j++) {
      const p = parity(logits[j]!.logits, logits[i]!.logits, numClasses);
      const rel = p.maxAbsReferenceLogit > 0 ? p.maxAbsLogitDiff / p.maxAbsReferenceLogit : p.maxAbsLogitDiff;
      pairs.push({
        a: logits[i]!.runtime, b: logits[j]!.runtime, agreement: p.agreement, disagreements: p.disagreements.map((d) => d + offset),
        maxAbsLogitDiff: p.maxAbsLogitDiff, maxAbsLogit: p.maxAbsReferenceLogit, relLogitDiff: rel,
        withinTolerance: withinRuntimeTolerance(p.agreement, rel),
      });
    }
  }
  return pairs;
}
