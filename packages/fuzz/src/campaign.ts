/**
 * A fuzz campaign over one reader: case i is fully determined by (seed, target, i), so any
 * failure can be regenerated alone. The first quarter of the cases (at most) sweeps truncation
 * over every byte offset of the small seeds; the rest are drawn from fast-check — three parts
 * mutated seed files to one part structured generator. Each case's outcome is counted; failures
 * keep their input for minimising and the corpus.
 */
import fc from 'fast-check';
import { type Seed, mutationArbitrary } from './mutation.js';
import type { Outcome } from './outcome.js';
import { runCase } from './run-case.js';
import type { FuzzTarget } from './target.js';

/** One input: where it came from (seed and edits, or 'generator') and its bytes. */
export interface CaseInput {
  readonly origin: string;
  readonly bytes: Uint8Array;
}

export interface Failure {
  readonly caseIndex: number;
  readonly origin: string;
  readonly outcome: Outcome;
  readonly bytes: Uint8Array;
}

export interface CampaignStats {
  readonly target: string;
  cases: number;
  typed: number;
  accepted: number;
  crashes: number;
  timeouts: number;
  /** Cases that allocated more than their memory bound. */
  memory: number;
  /** Largest growth of ArrayBuffer + heap memory in one case, bytes. */
  peakAllocated: number;
  /** Largest resident set size seen after a case, bytes. */
  peakRss: number;
  slowestMs: number;
  readonly failures: Failure[];
}

export interface CampaignOptions {
  readonly cases: number;
  readonly seed: number;
  /** First case index (a restarted worker continues after a timeout). */
  readonly start?: number;
  /** Called before each case, e.g. to tell a watchdog which case is running. */
  readonly onCase?: (index: number) => void;
  /** Called after each case with its input and outcome. */
  readonly onOutcome?: (index: number, input: CaseInput, outcome: Outcome) => void;
  /** Most failures whose inputs are kept (counts go on). */
  readonly keepFailures?: number;
}

/** Small seeds are truncated at every offset; larger ones at 256 evenly spaced offsets. */
const SWEEP_ALL_OFFSETS_UP_TO = 4096;

/** (seed index, length) pairs of the truncation sweep, small seeds first. */
function truncationSweep(seeds: readonly Seed[]): [number, number][] {
  const order = seeds.map((s, i) => [i, s.bytes.length] as const).sort((a, b) => a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [i, n] of order) {
    if (n <= SWEEP_ALL_OFFSETS_UP_TO) for (let k = 0; k < n; k++) out.push([i, k]);
    else for (let k = 0; k < 256; k++) out.push([i, Math.floor((k * n) / 256)]);
  }
  return out;
}

/** A 32-bit seed for case `index` of `target` under campaign seed `seed`. */
export function caseSeed(seed: number, target: string, index: number): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (const c of `${target}#${index}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h | 0;
}

/** Builds the deterministic case generator of a target. */
export function caseSource(target: FuzzTarget, totalCases: number): (seed: number, index: number) => CaseInput {
  const seeds = target.seeds();
  const arbitraries: { arbitrary: fc.Arbitrary<CaseInput>; weight: number }[] = [];
  if (seeds.length) {
    arbitraries.push({
      arbitrary: mutationArbitrary(seeds, target.recordSize).map((m) => ({ origin: `${m.seed} + ${m.edits.map((e) => e.kind).join(', ')}`, bytes: m.bytes })),
      weight: 3,
    });
  }
  if (target.generator) arbitraries.push({ arbitrary: target.generator.map((bytes) => ({ origin: 'generator', bytes })), weight: 1 });
  if (arbitraries.length === 0) return () => ({ origin: 'no seeds', bytes: new Uint8Array(0) });
  const arbitrary = fc.oneof(...arbitraries);
  const sweep = truncationSweep(seeds).slice(0, Math.floor(totalCases / 4));
  return (seed, index) => {
    const cut = sweep[index];
    if (cut) {
      const s = seeds[cut[0]]!;
      return { origin: `${s.name} truncated to ${cut[1]} bytes`, bytes: s.bytes.subarray(0, cut[1]) };
    }
    return fc.sample(arbitrary, { seed: caseSeed(seed, target.name, index), numRuns: 1 })[0]!;
  };
}

export function emptyStats(target: string): CampaignStats {
  return { target, cases: 0, typed: 0, accepted: 0, crashes: 0, timeouts: 0, memory: 0, peakAllocated: 0, peakRss: 0, slowestMs: 0, failures: [] };
}

/** Counts one outcome into `stats`, keeping the input of a failure. */
export function record(stats: CampaignStats, index: number, input: CaseInput, outcome: Outcome, keepFailures: number): void {
  stats.cases++;
  if (outcome.kind === 'accepted') stats.accepted++;
  else if (outcome.kind === 'typed') stats.typed++;
  else if (outcome.kind === 'crash') stats.crashes++;
  else if (outcome.kind === 'timeout') stats.timeouts++;
  else stats.memory++;
  stats.peakAllocated = Math.max(stats.peakAllocated, outcome.allocated);
  stats.slowestMs = Math.max(stats.slowestMs, outcome.ms);
  if (outcome.kind !== 'accepted' && outcome.kind !== 'typed' && stats.failures.length < keepFailures) {
    stats.failures.push({ caseIndex: index, origin: input.origin, outcome, bytes: input.bytes.slice() });
  }
}

/** Runs cases [start, cases) of `target` in this thread. */
export async function runCampaign(target: FuzzTarget, options: CampaignOptions): Promise<CampaignStats> {
  const stats = emptyStats(target.name);
  const next = caseSource(target, options.cases);
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => void rejections.push(reason);
  process.on('unhandledRejection', onRejection);
  try {
    for (let i = options.start ?? 0; i < options.cases; i++) {
      options.onCase?.(i);
      const input = next(options.seed, i);
      let outcome = await runCase(target, input.bytes);
      if (rejections.length) {
        const reason = rejections.splice(0)[0];
        outcome = { ...outcome, kind: 'crash', errorClass: 'unhandledRejection', message: String(reason) };
      }
      if ((i & 63) === 0) stats.peakRss = Math.max(stats.peakRss, process.memoryUsage.rss());
      record(stats, i, input, outcome, options.keepFailures ?? 20);
      options.onOutcome?.(i, input, outcome);
    }
  } finally {
    process.off('unhandledRejection', onRejection);
  }
  stats.peakRss = Math.max(stats.peakRss, process.memoryUsage.rss());
  return stats;
}
