/**
 * Ranking of logits, with the reference's tie rules: top-1 is argmax with the lowest index winning a
 * tie, top-k is the first k of a stable sort of −logits (equal logits keep index order). NaN ranks
 * below every number, so a NaN logit is never predicted over a real one.
 */

/** Does class `a` with logit `x` rank before class `b` (> a) with logit `y`? */
function before(x: number, y: number): boolean {
  return x > y || (Number.isNaN(y) && !Number.isNaN(x));
}

/** Row-major N×k class indices, best first, for `logits` of N rows of `numClasses`. */
export function topK(logits: Float32Array, numClasses: number, k: number): Int32Array {
  if (!Number.isInteger(numClasses) || numClasses < 1 || logits.length % numClasses !== 0) {
    throw new RangeError(`${logits.length} logits are not a whole number of rows of ${numClasses} classes.`);
  }
  if (!Number.isInteger(k) || k < 1 || k > numClasses) throw new RangeError(`k = ${k} is not between 1 and ${numClasses}.`);
  const n = logits.length / numClasses;
  const out = new Int32Array(n * k);
  const best = new Int32Array(k);
  for (let row = 0; row < n; row++) {
    const base = row * numClasses;
    let filled = 0;
    for (let c = 0; c < numClasses; c++) {
      const v = logits[base + c]!;
      // Classes arrive in index order, so a new class goes after every kept class it does not beat.
      let pos = filled;
      while (pos > 0 && before(v, logits[base + best[pos - 1]!]!)) pos--;
      if (pos >= k) continue;
      for (let j = Math.min(filled, k - 1); j > pos; j--) best[j] = best[j - 1]!;
      best[pos] = c;
      if (filled < k) filled++;
    }
    out.set(best, row * k);
  }
  return out;
}

/** Top-1 class of each row (argmax, lowest index on ties). */
export function argmaxRows(logits: Float32Array, numClasses: number): Int32Array {
  return topK(logits, numClasses, 1);
}
