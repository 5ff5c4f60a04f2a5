/**
 * The `--scale` option: the paper's `he` (sqrt(2/fan_in), fixed per layer), BWN's `mean-abs` (mean
 * |w| per output channel) or a positive number used for every binarized weight.
 */
import { UsageError } from '@onebit/core';
import type { ScaleRule } from '@onebit/binarize';

/** Parses `he`, `mean-abs` or a positive finite number; a RangeError quotes anything else. */
export function parseScaleRule(text: string): ScaleRule {
  if (text === 'he' || text === 'mean-abs') return text;
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || x <= 0) throw new UsageError(`--scale must be 'he', 'mean-abs' or a positive number, not '${text}'.`);
  return x;
}
