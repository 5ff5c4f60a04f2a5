/**
 * Whether validation reports can be read and compared: `parseReportJson` refuses a report without
 * the current `schemaVersion` (older onebit wrote none, so it cannot say what it measured);
 * `checkBaseline` refuses a `--max-drop-vs` baseline measured on other data, another image range or
 * another preprocessing; `sameMeasurement` is the comparison `mergeReports` makes between shards.
 * Each refusal is one sentence naming both values and how to fix it.
 */
import { FormatError, MismatchError } from '@onebit/core';
import type { ReportJson } from './merge-reports.js';
import { REPORT_SCHEMA_VERSION } from './report-identity.js';

/** The first 12 hex digits of a SHA-256, for messages. */
const short = (sha: string | undefined): string => (sha ? `sha256 ${sha.slice(0, 12)}…` : 'no recorded sha256');

/** Throws unless `report` is a schema-`REPORT_SCHEMA_VERSION` onebit validation report (`name` is its file). */
export function assertReportSchema(report: unknown, name: string): asserts report is ReportJson {
  if (!report || typeof report !== 'object' || Array.isArray(report) || typeof (report as { top1Error?: unknown }).top1Error !== 'number') {
    throw new FormatError('report', `${name} has no numeric top1Error; it is not a onebit validation report.`);
  }
  const version = (report as { schemaVersion?: unknown }).schemaVersion;
  if (version === undefined) {
    throw new FormatError('report', `${name} has no schemaVersion, so it was written by an older onebit and does not record which model, data and preprocessing it measured; regenerate it with this onebit's \`onebit validate … --json\`.`);
  }
  if (version !== REPORT_SCHEMA_VERSION) {
    throw new FormatError('report', `${name} has schemaVersion ${JSON.stringify(version)} but this onebit reads schema ${REPORT_SCHEMA_VERSION}; regenerate it with this onebit's \`onebit validate … --json\`.`);
  }
}

/** Parses report JSON text and checks its schema (see assertReportSchema). */
export function parseReportJson(text: string, name: string): ReportJson {
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch (e) {
    throw new FormatError('report', `${name} is not JSON: ${e instanceof Error ? e.message : String(e)}.`, undefined, { cause: e });
  }
  assertReportSchema(report, name);
  return report;
}

/** What a measurement is of: the fields a baseline and a new run (or two shards) must share. */
export type Measurement = Pick<ReportJson, 'dataSha256' | 'n' | 'range' | 'preprocess' | 'preprocessing'> & { data?: string; resizeFilter?: string };

/** "images 0–999 of 1000" for messages. */
const describeRange = (m: Measurement): string => `${m.n} images (${m.range.start}–${m.range.end - 1} of ${m.range.total})`;

/** The preprocessing as one comparable string: name, scale, mean, std, resize, crop and the resize filter. */
export function preprocessingKey(m: Pick<Measurement, 'preprocess' | 'preprocessing' | 'resizeFilter'>): string {
  return JSON.stringify([m.preprocessing ?? m.preprocess, m.resizeFilter ?? null]);
}

/**
 * Throws MismatchError unless `baseline` (the `--max-drop-vs` report called `name`) measured the same
 * data (by SHA-256), the same image range and count, and the same preprocessing as `current`: a drop
 * in top-1 error means nothing between different images or inputs. The models may differ (that is
 * what the gate compares).
 */
export function checkBaseline(baseline: ReportJson, current: Measurement, name: string): void {
  if (baseline.dataSha256 !== current.dataSha256) {
    throw new MismatchError(`${name} was measured on data ${short(baseline.dataSha256)} (${baseline.data ?? 'unnamed'}) but this run reads ${short(current.dataSha256)} (${current.data ?? 'unnamed'}); validate the same --data as the baseline or regenerate the baseline on this data.`);
  }
  if (baseline.n !== current.n || baseline.range.start !== current.range.start || baseline.range.end !== current.range.end || baseline.range.total !== current.range.total) {
    throw new MismatchError(`${name} measured ${describeRange(baseline)} but this run measures ${describeRange(current)}; use the baseline's --limit and --shard or regenerate it with this run's.`);
  }
  if (preprocessingKey(baseline) !== preprocessingKey(current)) {
    throw new MismatchError(`${name} used preprocessing ${preprocessingKey(baseline)} but this run uses ${preprocessingKey(current)}; pass the baseline's --preprocess/--mean/--std/--size/--crop or regenerate the baseline with this run's.`);
  }
}
