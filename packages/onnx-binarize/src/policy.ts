/**
 * The layer policy: which candidate weights are binarized and which stay float. Rules:
 * `keepFirst` / `keepLast` keep the first / last candidate in node order; each `keep` glob keeps the
 * weights it matches; when `binarize` globs are given, only the weights they match are binarized
 * (the rest stay float, "not selected"), otherwise every weight no keep rule matches is binarized.
 * A weight matched by a keep rule and a binarize rule is an error naming both rules; a glob that
 * matches no candidate is an error too (almost always a typo). Onebit never picks silently.
 * Without a rule, each weight gets its default (`defaults`): normally binarize, but keep for ops not
 * binarized unless asked (Gemm/MatMul/ConvTranspose) and for the undeclared weights of a graph that
 * declares its own binarization. `keepFirst`/`keepLast` count only weights whose default is binarize.
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
  readonly matches: (name: string, index: number) => boolean;
  readonly glob?: string;
}

function rules(policy: LayerPolicy, first: number, last: number): Rule[] {
  const out: Rule[] = [];
  if (policy.keepFirst) out.push({ label: '--keep-first', action: 'keep', matches: (_n, i) => i === first });
  if (policy.keepLast) out.push({ label: '--keep-last', action: 'keep', matches: (_n, i) => i === last });
  for (const glob of policy.keep ?? []) out.push({ label: `--keep '${glob}'`, action: 'keep', glob, matches: (n) => matchesGlob(n, glob) });
  for (const glob of policy.binarize ?? []) out.push({ label: `--binarize '${glob}'`, action: 'binarize', glob, matches: (n) => matchesGlob(n, glob) });
  return out;
}

/** A weight's decision when no rule matches it. */
export interface DefaultDecision {
  readonly action: 'binarize' | 'keep';
  readonly rule: string;
}

const BINARIZE_BY_DEFAULT: DefaultDecision = { action: 'binarize', rule: 'default' };

/** One decision per name of `names` (candidate weights in node order); `defaults[i]` when no rule matches (binarize). */
export function decideLayers(names: readonly string[], policy: LayerPolicy = {}, defaults: readonly DefaultDecision[] = []): LayerDecision[] {
  const byDefault = names.map((_n, i) => defaults[i] ?? BINARIZE_BY_DEFAULT);
  const first = byDefault.findIndex((d) => d.action === 'binarize');
  const last = byDefault.map((d) => d.action).lastIndexOf('binarize');
  const all = rules(policy, first, last);
  for (const rule of all) {
    if (rule.glob !== undefined && !names.some((n, i) => rule.matches(n, i))) {
      const list = names.length > 6 ? `${names.slice(0, 6).join(', ')}, …` : names.join(', ');
      throw new ModelError(`Rule ${rule.label} matches none of the ${names.length} binarizable weights (${list || 'none'}).`);
    }
  }
  const selective = (policy.binarize ?? []).length > 0;
  return names.map((name, i) => {
    const hits = all.filter((r) => r.matches(name, i));
    const keep = hits.find((r) => r.action === 'keep');
    const bin = hits.find((r) => r.action === 'binarize');
    if (keep && bin) throw new ModelError(`Weight '${name}' is matched by both ${keep.label} and ${bin.label}; remove one of the two rules.`, name);
    if (keep) return { name, action: 'keep', rule: keep.label };
    if (bin) return { name, action: 'binarize', rule: bin.label };
    return selective ? { name, action: 'keep', rule: 'not selected by --binarize' } : { name, ...byDefault[i]! };
  });
}
