#!/usr/bin/env node
/**
 * `npm run fuzz`: runs every reader's campaign (default 10 000 cases each, seed 1) in a worker
 * thread with a watchdog, prints the summary table and the failing cases, and exits 1 when any
 * case crashed, hung or went over its memory bound. Flags: --cases N, --seed S, --target NAME
 * (repeatable or comma-separated), --save-failures DIR, --watchdog-ms MS (default 10000), --help.
 * A bad flag is one sentence on stderr and exit 2.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type CampaignStats, type CaseInput, caseSource, emptyStats, record } from './campaign.js';
import { summaryTable } from './summary-table.js';
import { ALL_TARGETS, targetByName } from './targets/all-targets.js';
import type { WorkerMessage, WorkerRequest } from './fuzz-worker.js';

interface Flags {
  cases: number;
  seed: number;
  targets: string[];
  saveFailures?: string;
  watchdogMs: number;
}

const USAGE = `usage: npm run fuzz -w @onebit/fuzz -- [--cases N] [--seed S] [--target NAME[,NAME…]] [--save-failures DIR] [--watchdog-ms MS]
Runs each reader's fuzz campaign (default: every target, 10 000 cases each, seed 1; ONEBIT_FUZZ_CASES
and ONEBIT_FUZZ_SEED set the defaults) and exits 1 if any case crashed, hung or went over its memory bound.
targets: ${ALL_TARGETS.map((t) => t.name).join(', ')}`;

function parseFlags(argv: readonly string[]): Flags | undefined {
  const flags: Flags = { cases: Number(process.env['ONEBIT_FUZZ_CASES'] ?? 10_000), seed: Number(process.env['ONEBIT_FUZZ_SEED'] ?? 1), targets: [], watchdogMs: 10_000 };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new RangeError(`${name} needs a value.`);
      return v;
    };
    if (name === '--help' || name === '-h') return undefined;
    if (name === '--cases') flags.cases = Number(value());
    else if (name === '--seed') flags.seed = Number(value());
    else if (name === '--target') flags.targets.push(...value().split(','));
    else if (name === '--save-failures') flags.saveFailures = value();
    else if (name === '--watchdog-ms') flags.watchdogMs = Number(value());
    else throw new RangeError(`unknown flag '${argv[i]}'; use --cases N, --seed S, --target NAME, --save-failures DIR, --watchdog-ms MS (--help lists the targets).`);
  }
  if (!Number.isSafeInteger(flags.cases) || flags.cases < 0) throw new RangeError(`--cases must be a non-negative integer, not ${flags.cases}.`);
  if (!Number.isSafeInteger(flags.seed)) throw new RangeError(`--seed must be an integer, not ${flags.seed}.`);
  for (const t of flags.targets) targetByName(t);
  return flags;
}

/** Runs cases [start, cases) in a worker, recording each outcome into `stats`; resolves when done, or with the case it hung or died in. */
function runWorker(request: WorkerRequest, stats: CampaignStats, watchdogMs: number): Promise<{ index: number; why: 'timeout' | 'crash'; message: string } | undefined> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./fuzz-worker.js', import.meta.url), { workerData: request });
    let current = request.start;
    let settled = false;
    const finish = (result: Parameters<typeof resolve>[0]): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const arm = (): NodeJS.Timeout => setTimeout(() => finish({ index: current, why: 'timeout', message: `no result after ${watchdogMs} ms (watchdog)` }), watchdogMs);
    let timer = arm();
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'case') {
        current = m.index;
        clearTimeout(timer);
        timer = arm();
      } else if (m.type === 'outcome') {
        record(stats, m.index, m.input ?? { origin: '', bytes: new Uint8Array(0) }, m.outcome, 20);
        stats.peakRss = Math.max(stats.peakRss, m.rss);
      } else finish(undefined);
    });
    worker.on('error', (error) => finish({ index: current, why: 'crash', message: `the worker died: ${error.message}` }));
    worker.on('exit', (code) => finish({ index: current, why: 'crash', message: `the worker exited with code ${code}` }));
  });
}

/** Regenerates case `index` (to save the input of a case that hung or killed its worker). */
function regenerate(name: string, flags: Flags, index: number): CaseInput {
  try {
    return caseSource(targetByName(name), flags.cases)(flags.seed, index);
  } catch (error) {
    return { origin: `could not regenerate: ${(error as Error).message}`, bytes: new Uint8Array(0) };
  }
}

async function fuzzTarget(name: string, flags: Flags): Promise<CampaignStats> {
  const stats = emptyStats(name);
  let start = 0;
  while (start < flags.cases) {
    const stuck = await runWorker({ target: name, cases: flags.cases, seed: flags.seed, start }, stats, flags.watchdogMs);
    if (!stuck) break;
    const { index, why, message } = stuck;
    record(stats, index, regenerate(name, flags, index), { kind: why, message, ms: why === 'timeout' ? flags.watchdogMs : 0, allocated: 0, errorClass: why === 'crash' ? 'WorkerExit' : 'Watchdog' }, 20);
    start = index + 1;
  }
  return stats;
}

let parsed: Flags | undefined;
try {
  parsed = parseFlags(process.argv.slice(2));
} catch (e) {
  console.error(`onebit fuzz: ${(e as Error).message}`);
  process.exit(2);
}
if (!parsed) {
  console.log(USAGE);
  process.exit(0);
}
const flags = parsed;
const names = flags.targets.length ? flags.targets : ALL_TARGETS.map((t) => t.name);
const results: CampaignStats[] = [];
const t0 = performance.now();
for (const name of names) {
  const started = performance.now();
  const stats = await fuzzTarget(name, flags);
  results.push(stats);
  console.error(`${name}: ${stats.cases} cases in ${((performance.now() - started) / 1000).toFixed(1)} s, ${stats.crashes + stats.timeouts + stats.memory} failures`);
}
console.log(`\nonebit fuzz: seed ${flags.seed}, ${flags.cases} cases per reader, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
console.log(summaryTable(results));
const failures = results.flatMap((s) => s.failures.map((f) => ({ target: s.target, ...f })));
if (failures.length) {
  console.log('\nfailures (replay with --target T --seed S --cases > i):');
  for (const f of failures) {
    console.log(`  ${f.target} case ${f.caseIndex}: ${f.outcome.kind} ${f.outcome.errorClass ?? ''} ${(f.outcome.message ?? '').slice(0, 160)} [${f.origin.slice(0, 120)}]`);
    if (flags.saveFailures) {
      mkdirSync(flags.saveFailures, { recursive: true });
      writeFileSync(join(flags.saveFailures, `${f.target}-seed${flags.seed}-case${f.caseIndex}.bin`), f.bytes);
    }
  }
}
process.exitCode = results.some((s) => s.crashes + s.timeouts + s.memory > 0) ? 1 : 0;
