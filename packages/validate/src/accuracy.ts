/**
 * Classification accuracy of a batch of logits against labels: top-1/top-5 error with a Wilson 95 %
 * interval on the top-1 error, per-image predictions, per-class accuracy and the confusion matrix.
 * Everything is computed from each image's label and ranked top-k classes, which the report keeps,
 * so shard reports can be merged into exactly the numbers of a single run (`scoreRanked`).
 */
import { ModelError } from '@onebit/core';
import { topK } from './top-k.js';
import { wilsonInterval } from './wilson.js';

export interface AccuracyReport {
  n: number;
  top1Error: number;
  top5Error: number;
  /** 95 % Wilson interval of top1Error; wide on small subsets. */
  top1ErrorCI95: [number, number];
  /** Top-1 class index of each image, in data order. */
  predictions: number[];
  /** Label of each image, in data order. */
  labels: number[];
  /** Each image's min(5, classes) best classes, best first. */
  topK: number[][];
  /** Fraction of each class's images predicted correctly; null for a class with no images. */
  perClassAccuracy: (number | null)[];
  /** Number of images of each class. */
  perClassCount: number[];
  /** confusion[label][prediction] = number of images. */
  confusion: number[][];
}

/** Scores N rows of `numClasses` logits against N labels. Top-5 uses min(5, numClasses) classes. */
export function accuracyReport(logits: Float32Array, labels: ArrayLike<number>, numClasses: number): AccuracyReport {
  const n = labels.length;
  if (logits.length !== n * numClasses) throw new RangeError(`${logits.length} logits do not hold ${n} rows of ${numClasses} classes.`);
  const k = Math.min(5, numClasses);
  return scoreRanked(topK(logits, numClasses, k), k, labels, numClasses);
}

/** Scores N images from their row-major N×k ranked classes (best first) and labels. */
export function scoreRanked(ranked: ArrayLike<number>, k: number, labels: ArrayLike<number>, numClasses: number): AccuracyReport {
  const n = labels.length;
  if (ranked.length !== n * k) throw new RangeError(`${ranked.length} ranked classes do not hold ${n} rows of ${k}.`);
  const rows: number[][] = new Array<number[]>(n);
  const predictions: number[] = new Array<number>(n);
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  const count = new Array<number>(numClasses).fill(0);
  const correct = new Array<number>(numClasses).fill(0);
  let top1Wrong = 0;
  let top5Wrong = 0;
  for (let i = 0; i < n; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new ModelError(`Label ${label} of image ${i} is not a class of a model with ${numClasses} outputs.`);
    }
    const row = Array.prototype.slice.call(ranked, i * k, (i + 1) * k) as number[];
    rows[i] = row;
    const best = row[0]!;
    predictions[i] = best;
    confusion[label]![best]!++;
    count[label]!++;
    if (best === label) correct[label]!++;
    else top1Wrong++;
    let inTop = false;
    for (let j = 0; j < k; j++) if (ranked[i * k + j] === label) inTop = true;
    if (!inTop) top5Wrong++;
  }
  return {
    n,
    top1Error: n ? top1Wrong / n : 0,
    top5Error: n ? top5Wrong / n : 0,
    top1ErrorCI95: wilsonInterval(top1Wrong, n),
    predictions,
    labels: Array.prototype.slice.call(labels) as number[],
    topK: rows,
    perClassAccuracy: count.map((c, i) => (c ? correct[i]! / c : null)),
    perClassCount: count,
    confusion,
  };
}
