/**
 * Deterministic shards for CI matrices: `--shard i/n` takes the i-th of n contiguous blocks of the
 * images (1-based), the first `total % n` blocks one image longer, so the blocks tile [0, total)
 * in order and merging them in shard order gives back the unsharded image order.
 */
import { UsageError } from '@onebit/core';

export interface Shard {
  /** 1-based shard number. */
  readonly index: number;
  readonly count: number;
}

/** Parses "i/n" with 1 ≤ i ≤ n. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard must be i/n with 1 ≤ i ≤ n, got '${text}'.`);
  return { index, count };
}

/** The half-open image range [start, end) of `shard` among `total` images. */
export function shardRange(total: number, shard: Shard): [number, number] {
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 1 || index > count) throw new RangeError(`shard ${index}/${count} is not i/n with 1 ≤ i ≤ n.`);
  const base = Math.floor(total / count);
  const extra = total % count;
  const start = (index - 1) * base + Math.min(index - 1, extra);
  return [start, start + base + (index <= extra ? 1 : 0)];
}
