/**
 * Logits to ranked classes: a numerically stable softmax (in float64) and top-k with the
 * validator's tie rule — equal scores keep index order, and NaN ranks below every number.
 */
import type { Classification } from './types.js';

/** Softmax of `logits[start, start + n)` as float64 probabilities. */
export function softmax(logits: ArrayLike<number>, start = 0, n = logits.length - start): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[start + i]! > max) max = logits[start + i]!;
  const out = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = logits[start + i]!;
    out[i] = Number.isNaN(v) ? 0 : Math.exp(v - max);
    sum += out[i]!;
  }
  for (let i = 0; i < n; i++) out[i]! /= sum;
  return out;
}

/** The `k` best of `scores`, best first, named by `labels`. */
export function rankClasses(scores: ArrayLike<number>, labels: readonly string[], k: number): Classification[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`topK ${k} is not a positive integer.`);
  const order = Array.from({ length: scores.length }, (_, i) => i);
  const key = (i: number): number => (Number.isNaN(scores[i]!) ? -Infinity : scores[i]!);
  order.sort((a, b) => key(b) - key(a) || a - b);
  return order.slice(0, Math.min(k, order.length)).map((index) => ({ index, label: labels[index] ?? `class ${index}`, probability: scores[index]! }));
}
