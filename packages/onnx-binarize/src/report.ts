/**
 * Human-readable lines for a binarization report and a state_dict match, as `onebit convert`
 * prints them: one line per weight (binarized / already binary / kept, the rule, the scale), the
 * counts, and the not-trained warning last so it is the thing a reader sees.
 */
import { formatDims } from '@onebit/core';
import type { BinarizationReport } from './binarize-model.js';
import type { StateDictMatch } from './state-dict.js';

function scaleText(scale: number | readonly number[] | undefined): string {
  if (scale === undefined) return '';
  if (typeof scale === 'number') return `scale ${scale.toPrecision(6)}`;
  const lo = Math.min(...scale);
  const hi = Math.max(...scale);
  return `scale per channel ${lo.toPrecision(4)}…${hi.toPrecision(4)}`;
}

export function formatBinarizationReport(r: BinarizationReport): string[] {
  const rule = typeof r.scaleRule === 'number' ? `fixed ${r.scaleRule}` : r.scaleRule;
  const lines = r.layers.map((l) => {
    const what = l.action === 'binarized' ? 'binarized' : l.action === 'already-binary' ? (l.declared ? 'declared ±a' : 'already ±a') : 'kept';
    const dist = l.binaryDistance !== undefined ? `  distance ${l.binaryDistance.toFixed(3)}` : '';
    const notes = [
      l.action === 'kept' ? '' : scaleText(l.scale),
      l.action === 'already-binary' && l.heScale !== undefined ? heText(l.scale, l.heScale) : '',
      l.source ? `from ${l.source}` : '',
      l.zerosToPlus ? `${l.zerosToPlus} exact zero${l.zerosToPlus === 1 ? '' : 's'} became +scale` : '',
      l.keptReaders?.length ? `${l.keptReaders.join(', ')} keep${l.keptReaders.length === 1 ? 's' : ''} the original tensor` : '',
    ].filter(Boolean);
    return `  ${what.padEnd(11)} ${l.name.padEnd(34)} ${l.opType.padEnd(6)} ${formatDims(l.dims).padEnd(12)} ${l.rule}${notes.length ? `; ${notes.join('; ')}` : ''}${dist}`;
  });
  const zeros = r.layers.reduce((s, l) => s + (l.zerosToPlus ?? 0), 0);
  return [
    `binarize     ${r.binarized} binarized (scale ${rule}), ${r.alreadyBinary} already binary${r.declaredByGraph ? ' or declared binary by the graph' : ''} (packed losslessly), ${r.kept} kept; ${r.binaryWeights.toLocaleString('en-US')} weights at 1 bit, stored ${r.weights}`,
    ...lines,
    ...(zeros > 0 ? [`zeros        ${zeros} weights were exactly 0 and are stored as +scale (sign(0) = +1)`] : []),
    ...(r.evidence.verdict !== 'unknown' && r.binarized > 0
      ? [`training     BatchNorm statistics of ${r.evidence.layers} layers say ${r.evidence.verdict === 'float-trained' ? 'the weights were trained as float' : 'these are latent weights of a 1-bit-trained model'} (correlation of log var with log ‖w‖² ${r.evidence.correlation!.toFixed(2)})`]
      : []),
    ...(r.warning ? [`WARNING      ${r.warning.message}`] : []),
  ];
}

/** How an own scale compares with the paper's he scale sqrt(2/fan_in). */
function heText(scale: number | readonly number[] | undefined, he: number): string {
  if (typeof scale !== 'number') return '';
  const ratio = scale / he;
  return Math.abs(ratio - 1) < 1e-6 ? 'equals the he scale' : `${ratio.toPrecision(4)} × the he scale`;
}

export function formatStateDictMatch(m: StateDictMatch): string[] {
  const byRule = new Map<string, number>();
  for (const a of m.assignments) byRule.set(a.rule, (byRule.get(a.rule) ?? 0) + 1);
  const stripped = [m.prefix.stateDict && `'${m.prefix.stateDict}' stripped from the keys`, m.prefix.graph && `'${m.prefix.graph}' from the graph's names`].filter(Boolean).join(', ');
  const lines = [`state_dict   ${m.assignments.length} initializers matched (${[...byRule].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'})${stripped ? `; ${stripped}` : ''}`];
  for (const a of m.assignments) if (a.rule !== 'exact' && a.rule !== 'prefix') lines.push(`  ${a.rule.padEnd(16)} ${a.initializer} ← ${a.key}`);
  for (const x of m.mismatches) lines.push(`  MISMATCH     ${x.initializer} ${x.graph.dtype} ${formatDims(x.graph.dims)} ≠ ${x.key} ${x.stateDict.dtype} ${formatDims(x.stateDict.dims)}`);
  if (m.unmatched.length) lines.push(`  kept from the graph (no state_dict key): ${m.unmatched.map((u) => u.name).join(', ')}`);
  if (m.ignoredKeys.length) lines.push(`  ignored (training counters inference never reads): ${m.ignoredKeys.join(', ')}`);
  if (m.unusedKeys.length) lines.push(`  unused state_dict keys: ${m.unusedKeys.join(', ')}`);
  return lines;
}
