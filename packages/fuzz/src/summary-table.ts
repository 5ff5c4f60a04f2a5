/**
 * The table `npm run fuzz` ends with: one row per reader with its case count, typed errors,
 * accepted inputs, crashes, timeouts, over-memory cases and peak memory, plus a total row.
 */
import type { CampaignStats } from './campaign.js';

const MB = 1024 * 1024;

export function summaryTable(rows: readonly CampaignStats[]): string {
  const header = ['reader', 'cases', 'typed errors', 'accepted', 'crashes', 'timeouts', 'over memory', 'peak case alloc', 'peak rss', 'slowest case'];
  const body = rows.map((s) => [
    s.target, String(s.cases), String(s.typed), String(s.accepted), String(s.crashes), String(s.timeouts), String(s.memory),
    `${(s.peakAllocated / MB).toFixed(1)} MiB`, `${(s.peakRss / MB).toFixed(0)} MiB`, `${s.slowestMs.toFixed(0)} ms`,
  ]);
  const sum = (f: (s: CampaignStats) => number): string => String(rows.reduce((n, s) => n + f(s), 0));
  body.push(['total', sum((s) => s.cases), sum((s) => s.typed), sum((s) => s.accepted), sum((s) => s.crashes), sum((s) => s.timeouts), sum((s) => s.memory),
    `${(Math.max(0, ...rows.map((s) => s.peakAllocated)) / MB).toFixed(1)} MiB`, `${(Math.max(0, ...rows.map((s) => s.peakRss)) / MB).toFixed(0)} MiB`,
    `${Math.max(0, ...rows.map((s) => s.slowestMs)).toFixed(0)} ms`]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}
