/**
 * Worker-thread side of `npm run fuzz`: runs one reader's campaign from a start case and tells the
 * main thread which case is running (so a watchdog can stop a case that hangs) and how each case
 * went, with the input of each failing case.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type CaseInput, runCampaign } from './campaign.js';
import type { Outcome } from './outcome.js';
import { targetByName } from './targets/all-targets.js';

export interface WorkerRequest {
  readonly target: string;
  readonly cases: number;
  readonly seed: number;
  readonly start: number;
}

export type WorkerMessage =
  | { type: 'case'; index: number }
  | { type: 'outcome'; index: number; input: CaseInput | undefined; outcome: Outcome; rss: number }
  | { type: 'done' };

const request = workerData as WorkerRequest;
const post = (m: WorkerMessage): void => parentPort!.postMessage(m);
await runCampaign(targetByName(request.target), {
  cases: request.cases, seed: request.seed, start: request.start, keepFailures: 0,
  onCase: (index) => post({ type: 'case', index }),
  // inputs travel only for failures; counts and memory for every case
  onOutcome: (index, input, outcome) => post({ type: 'outcome', index, input: outcome.kind === 'accepted' || outcome.kind === 'typed' ? undefined : input, outcome, rss: process.memoryUsage.rss() }),
});
post({ type: 'done' });
