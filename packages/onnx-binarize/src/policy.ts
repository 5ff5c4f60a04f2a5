/**
 * The layer policy: which candidate weights are binarized and which stay float. Rules:
 * `keepFirst` / `keepLast` keep the first / last candidate in node order; each `keep` glob keeps the
 * weights it matches; when `binarize` globs are given, only the weights they match are binarized
 * (the rest stay float, "not selected"), otherwise every weight no keep rule matches is binarized.
 * A weight matched by a keep rule and a binarize rule is an error naming both rules; a glob that
 * matches no candidate is an error too (almost always a typo). Onebit never picks silently.
 */
import { ModelError } from '@onebit/core';
import { matchesGlob } from './glob.js';

export interface LayerPolicy {
  readonly keepFirst?: boolean;
  readonly keepLast?: boolean;
  readonly keep?: readonly string[];
  readonly binarize?: readonly string[];
}

export interface LayerDecision {
  readonly name: string;
  readonly action: 'binarize' | 'keep';
  /** The rule that decided, as the user wrote it: `--keep-first`, `--keep 'conv1*'`, `default`, … */
  readonly rule: string;
}

interface Rule {
  readonly label: string;
  readonly action: 'binarize' | 'keep';
  readonly matches: (name: string, index: number, count: number) => boolean;
  readonly glob?: string;
}

function rules(policy: LayerPolicy): Rule[] {
  const out: Rule[] = [];
  if (policy.keepFirst) out.push({ label: '--keep-first', action: 'keep', matches: (_n, i) => i === 0 });
  if (policy.keepLast) out.push({ label: '--keep-last', action: 'keep', matches: (_n, i, count) => i === count - 1 });
  for (const glob of policy.keep ?? []) out.push({ label: `--keep '${glob}'`, action: 'keep', glob, matches: (n) => matchesGlob(n, glob) });
  for (const glob of policy.binarize ?? []) out.push({ label: `--binarize '${glob}'`, action: 'binarize', glob, matches: (n) => matchesGlob(n, glob) });
  return out;
}

/** One decision per name of `names` (candidate weights in node order). */
export function decideLayers(names: readonly string[], policy: LayerPolicy = {}): LayerDecision[] {
  const all = rules(policy);
  for (const rule of all) {
    if (rule.glob !== undefined && !names.some((n, i) => rule.matches(n, i, names.length))) {
      const list = names.length > 6 ? `${names.slice(0, 6).join(', ')}, …` : names.join(', ');
      throw new ModelError(`Rule ${rule.label} matches none of the ${names.length} binarizable weights (${list || 'none'}).`);
    }
  }
  const selective = (policy.binarize ?? []).length > 0;
  return names.map((name, i) => {
    const hits = all.filter((r) => r.matches(name, i, names.length));
    const keep = hits.find((r) => r.action === 'keep');
    const bin = hits.find((r) => r.action === 'binarize');
    if (keep && bin) throw new ModelError(`Weight '${name}' is matched by both ${keep.label} and ${bin.label}; remove one of the two rules.`, name);
    if (keep) return { name, action: 'keep', rule: keep.label };
    if (bin) return { name, action: 'binarize', rule: bin.label };
    return selective ? { name, action: 'keep', rule: 'not selected by --binarize' } : { name, action: 'binarize', rule: 'default' };
  });
}
