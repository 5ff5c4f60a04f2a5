/**
 * Validation on several runtimes at once (`--runtime all`): the same images, preprocessed once per
 * batch the same way, go through each runtime in turn; the report is the first runtime's, plus a
 * per-runtime summary (speed, errors) and the cross-runtime parity of every pair.
 */
import { crossRuntimeParity, type RuntimePairParity } from './cross-runtime.js';
import type { RuntimeName } from './runner-types.js';
import { validateModel, type ValidateOptions, type ValidationReport } from './validate-model.js';

export interface RuntimeSummary {
  runtime: RuntimeName;
  runtimeName: string;
  runtimeVersion: string;
  top1Error: number;
  top5Error: number;
  sessionCreationMs: number;
  inferenceMs: number;
  throughput: number;
  batchLatencyMs: number;
}

export interface MultiRuntimeReport extends ValidationReport {
  /** One entry per runtime, in the order run. */
  runtimes?: RuntimeSummary[];
  /** Every pair of runtimes compared (only with more than one runtime). */
  crossRuntime?: RuntimePairParity[];
}

export interface ValidateRuntimesOptions extends Omit<ValidateOptions, 'runtime' | 'onProgress'> {
  runtimes: readonly RuntimeName[];
  onProgress?: (runtime: RuntimeName, done: number, total: number) => void;
}

export async function validateRuntimes(opts: ValidateRuntimesOptions): Promise<MultiRuntimeReport> {
  if (opts.runtimes.length === 0) throw new RangeError('validateRuntimes needs at least one runtime.');
  const reports: ValidationReport[] = [];
  for (const runtime of opts.runtimes) {
    const { runtimes: _r, onProgress, ...rest } = opts;
    reports.push(await validateModel({ ...rest, runtime, ...(onProgress ? { onProgress: (d: number, t: number) => onProgress(runtime, d, t) } : {}) }));
  }
  const first = reports[0]!;
  if (reports.length === 1) return first;
  const report: MultiRuntimeReport = {
    ...first,
    runtimes: reports.map((r) => ({
      runtime: r.runtime, runtimeName: r.runtimeName, runtimeVersion: r.runtimeVersion, top1Error: r.top1Error, top5Error: r.top5Error,
      sessionCreationMs: r.sessionCreationMs, inferenceMs: r.inferenceMs, throughput: r.throughput, batchLatencyMs: r.batchLatencyMs,
    })),
    crossRuntime: crossRuntimeParity(reports.map((r) => ({ runtime: r.runtime, logits: r.logits })), first.numClasses, first.range.start),
  };
  Object.defineProperty(report, 'logits', { value: first.logits, enumerable: false });
  return report;
}
