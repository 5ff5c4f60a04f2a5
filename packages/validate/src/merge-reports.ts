/**
 * Merges the JSON reports of `--shard i/n` runs into the report a single run over all images gives:
 * the per-image labels and ranked classes are concatenated in image order and re-scored, reference
 * disagreements are joined, the largest |Δlogit| is the largest of the shards'; with `--runtime all`
 * the same holds per runtime pair, and per-runtime error counts are summed. Timings are summed
 * (throughput = images / total inference time). The shards must tile [0, total) exactly once and
 * come from one schema, model, data set and preprocessing, compared by SHA-256 and value, never by
 * file name; a shard given twice is refused.
 */
import { FormatError, MismatchError } from '@onebit/core';
import { scoreRanked } from './accuracy.js';
import { withinRuntimeTolerance } from './cross-runtime.js';
import { assertReportSchema, preprocessingKey } from './report-compat.js';
import { sha256Hex } from './report-identity.js';
import type { MultiRuntimeReport } from './validate-runtimes.js';

/** A report as read back from JSON (no logits). */
export type ReportJson = Omit<MultiRuntimeReport, 'logits'> & {
  model?: string; data?: string; classNames?: string[];
  /** Merged reports: how many shards, and each shard's name, SHA-256 of its JSON content and image range [start, end). */
  mergedFrom?: number;
  shards?: Array<{ name: string; sha256: string; start: number; end: number }>;
};

/** Fields that must be equal in every shard besides the model, data and preprocessing (checked first, with their own messages). */
const SAME = ['tool', 'runtime', 'runtimeName', 'runtimeVersion', 'threads', 'numClasses', 'batchSize', 'inputLayout', 'inputName', 'outputName'] as const;

/** A shard as merged: the report, the name it is called by in messages and its content hash. */
interface Shard { r: ReportJson; name: string; sha256: string }

/** Throws MismatchError when `s` measured another model, data set or preprocessing than `first`. */
function checkSameMeasurement(s: Shard, first: Shard): void {
  const hash = (sha: string): string => `sha256 ${sha.slice(0, 12)}…`;
  if (s.r.modelSha256 !== first.r.modelSha256) {
    throw new MismatchError(`${s.name} measured model ${hash(s.r.modelSha256)} (${s.r.model ?? 'unnamed'}) but ${first.name} measured ${hash(first.r.modelSha256)} (${first.r.model ?? 'unnamed'}); merge only shards of one model.`);
  }
  if (s.r.dataSha256 !== first.r.dataSha256) {
    throw new MismatchError(`${s.name} measured data ${hash(s.r.dataSha256)} (${s.r.data ?? 'unnamed'}) but ${first.name} measured ${hash(first.r.dataSha256)} (${first.r.data ?? 'unnamed'}); merge only shards of one data set.`);
  }
  if (preprocessingKey(s.r) !== preprocessingKey(first.r)) {
    throw new MismatchError(`${s.name} used preprocessing ${preprocessingKey(s.r)} but ${first.name} used ${preprocessingKey(first.r)}; merge only shards validated with the same preprocessing.`);
  }
}

export function mergeReports(reports: readonly ReportJson[], names: readonly string[] = reports.map((_, i) => `report ${i + 1}`)): ReportJson {
  if (reports.length === 0) throw new RangeError('mergeReports needs at least one report.');
  const order: Shard[] = reports.map((r, i) => ({ r, name: names[i] ?? `report ${i + 1}`, sha256: '' }));
  for (const s of order) {
    if (!s.r || typeof s.r !== 'object' || !s.r.range || !Array.isArray(s.r.labels) || !Array.isArray(s.r.topK)) {
      throw new FormatError('report', `${s.name} is not a onebit validation report with per-image labels and top-k classes (range, labels, topK).`);
    }
    assertReportSchema(s.r, s.name);
    s.sha256 = sha256Hex(JSON.stringify(s.r));
  }
  for (let i = 0; i < order.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [order[j]!, order[i]!];
      if (a.sha256 === b.sha256) throw new MismatchError(`${b.name} is the same report as ${a.name} (identical content); give each shard once.`);
      if (a.r.range.start === b.r.range.start && a.r.range.end === b.r.range.end) {
        throw new MismatchError(`${b.name} and ${a.name} both cover images ${a.r.range.start}–${a.r.range.end - 1}; give each shard once.`);
      }
    }
  }
  order.sort((a, b) => a.r.range.start - b.r.range.start);
  const first = order[0]!.r;
  const total = first.range.total;
  let next = 0;
  for (const s of order) {
    const { r, name } = s;
    checkSameMeasurement(s, order[0]!);
    for (const key of SAME) {
      if (JSON.stringify(r[key]) !== JSON.stringify(first[key])) {
        throw new MismatchError(`${name} has ${key} ${JSON.stringify(r[key])} but ${order[0]!.name} has ${JSON.stringify(first[key])}; shards must come from the same run settings.`);
      }
    }
    if (r.range.total !== total) throw new MismatchError(`${name} covers images of a set of ${r.range.total} but ${order[0]!.name} of ${total}.`);
    if (r.range.start !== next) {
      throw new MismatchError(`${name} starts at image ${r.range.start} but the shards before it end at ${next}; ${r.range.start > next ? 'a shard is missing' : 'shards overlap'}.`);
    }
    if (r.labels.length !== r.range.end - r.range.start || r.topK.length !== r.labels.length) {
      throw new FormatError('report', `${name} covers images ${r.range.start}–${r.range.end} but lists ${r.labels.length} labels and ${r.topK.length} top-k rows.`);
    }
    next = r.range.end;
  }
  if (next !== total) throw new MismatchError(`the shards end at image ${next} of ${total}; a shard is missing.`);

  const k = first.topK[0]?.length ?? Math.min(5, first.numClasses);
  const labels = order.flatMap(({ r }) => r.labels);
  const ranked = order.flatMap(({ r }) => r.topK.flat());
  const inferenceMs = order.reduce((s, { r }) => s + r.inferenceMs, 0);
  const batches = order.reduce((s, { r }) => s + Math.ceil(r.n / r.batchSize), 0);
  const { shard: _dropped, ...range } = { ...first.range, start: 0, end: total };
  const merged: ReportJson = {
    ...first,
    ...scoreRanked(ranked, k, labels, first.numClasses),
    range,
    sessionCreationMs: order.reduce((s, { r }) => s + r.sessionCreationMs, 0),
    inferenceMs,
    throughput: inferenceMs > 0 ? (total * 1000) / inferenceMs : 0,
    batchLatencyMs: batches ? inferenceMs / batches : 0,
    mergedFrom: order.length,
    shards: order.map(({ r, name, sha256 }) => ({ name, sha256, start: r.range.start, end: r.range.end })),
  };
  const withRef = order.filter(({ r }) => r.agreement !== undefined).length;
  if (withRef !== 0 && withRef !== order.length) throw new FormatError('report', `${withRef} of ${order.length} shards were compared with reference logits; compare all or none.`);
  if (withRef) {
    const disagreements = order.flatMap(({ r }) => r.disagreements ?? []);
    Object.assign(merged, {
      agreement: total ? (total - disagreements.length) / total : 1,
      disagreements,
      maxAbsLogitDiff: Math.max(...order.map(({ r }) => r.maxAbsLogitDiff ?? 0)),
      maxAbsReferenceLogit: Math.max(...order.map(({ r }) => r.maxAbsReferenceLogit ?? 0)),
    });
  }
  mergeRuntimes(order.map(({ r }) => r), merged, total);
  return merged;
}

/** Merges the per-runtime summaries and cross-runtime pairs of `--runtime all` shards into `merged`. */
function mergeRuntimes(shards: readonly ReportJson[], merged: ReportJson, total: number): void {
  const first = shards[0]!;
  if (first.runtimes) {
    merged.runtimes = first.runtimes.map((summary, k) => {
      const parts = shards.map((r) => r.runtimes?.[k]);
      if (parts.some((p) => p?.runtime !== summary.runtime)) throw new FormatError('report', `the shards did not all run runtime ${summary.runtime} in position ${k + 1}.`);
      const sum = (f: (p: NonNullable<(typeof parts)[number]>, r: ReportJson) => number): number => parts.reduce((a, p, i) => a + f(p!, shards[i]!), 0);
      const inferenceMs = sum((p) => p.inferenceMs);
      const batches = sum((_p, r) => Math.ceil(r.n / r.batchSize));
      return {
        ...summary,
        top1Error: total ? sum((p, r) => Math.round(p.top1Error * r.n)) / total : 0,
        top5Error: total ? sum((p, r) => Math.round(p.top5Error * r.n)) / total : 0,
        sessionCreationMs: sum((p) => p.sessionCreationMs),
        inferenceMs,
        throughput: inferenceMs > 0 ? (total * 1000) / inferenceMs : 0,
        batchLatencyMs: batches ? inferenceMs / batches : 0,
      };
    });
  }
  if (first.crossRuntime) {
    merged.crossRuntime = first.crossRuntime.map((pair, k) => {
      const parts = shards.map((r) => r.crossRuntime?.[k]);
      if (parts.some((p) => p?.a !== pair.a || p.b !== pair.b)) throw new FormatError('report', `the shards did not all compare ${pair.a} with ${pair.b} in position ${k + 1}.`);
      const disagreements = parts.flatMap((p) => p!.disagreements);
      const agreement = total ? (total - disagreements.length) / total : 1;
      const maxAbsLogitDiff = Math.max(...parts.map((p) => p!.maxAbsLogitDiff));
      const maxAbsLogit = Math.max(...parts.map((p) => p!.maxAbsLogit));
      const relLogitDiff = maxAbsLogit > 0 ? maxAbsLogitDiff / maxAbsLogit : maxAbsLogitDiff;
      return { ...pair, agreement, disagreements, maxAbsLogitDiff, maxAbsLogit, relLogitDiff, withinTolerance: withinRuntimeTolerance(agreement, relLogitDiff) };
    });
  }
}
