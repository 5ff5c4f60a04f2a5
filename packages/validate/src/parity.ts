/**
 * Agreement between a model's logits and reference logits for the same images: the fraction of
 * equal top-1 predictions, which images differ, and the largest absolute logit difference (to be
 * judged against the largest reference logit, e.g. ≤ 1e-3 × maxAbsReferenceLogit).
 */
import { ModelError } from '@onebit/core';
import { topK } from './top-k.js';

export interface ParityReport {
  n: number;
  /** Fraction of images whose top-1 class equals the reference's. */
  agreement: number;
  /** Indices of the images whose top-1 differs. */
  disagreements: number[];
  /** max |logit − reference| over all values; Infinity where a pair differs by NaN (either side NaN) or by an infinity. */
  maxAbsLogitDiff: number;
  maxAbsReferenceLogit: number;
}

export function parity(logits: Float32Array, referenceLogits: Float32Array, numClasses: number): ParityReport {
  if (logits.length !== referenceLogits.length) {
    throw new ModelError(`The model gave ${logits.length} logits but the reference holds ${referenceLogits.length} (${referenceLogits.length / numClasses} rows of ${numClasses}).`);
  }
  const a = topK(logits, numClasses, 1);
  const b = topK(referenceLogits, numClasses, 1);
  const disagreements: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) disagreements.push(i);
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < logits.length; i++) {
    const x = logits[i]!;
    const y = referenceLogits[i]!;
    const d = x === y ? 0 : Math.abs(x - y);
    maxDiff = Math.max(maxDiff, Number.isNaN(d) ? Infinity : d);
    if (Number.isFinite(y)) maxRef = Math.max(maxRef, Math.abs(y));
  }
  const n = a.length;
  return { n, agreement: n ? (n - disagreements.length) / n : 1, disagreements, maxAbsLogitDiff: maxDiff, maxAbsReferenceLogit: maxRef };
}
