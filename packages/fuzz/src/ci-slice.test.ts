/**
 * The CI slice of the fuzz campaign: 300 fixed-seed cases per reader, run in-process, with zero
 * crashes, timeouts and over-memory cases allowed. A failure prints the reader, case index and
 * origin; replay it with `npm run fuzz -- --target <reader> --seed 7 --cases <index + 1>`.
 */
import { describe, expect, it } from 'vitest';
import { runCampaign } from './campaign.js';
import { ALL_TARGETS } from './targets/all-targets.js';

const CASES = 300;
const SEED = 7;

describe('fuzz CI slice', () => {
  for (const target of ALL_TARGETS) {
    it(`${target.name}: ${CASES} cases, every one accepted or refused with a typed error in bounds`, async () => {
      const stats = await runCampaign(target, { cases: CASES, seed: SEED });
      const failures = stats.failures.map((f) => `case ${f.caseIndex} ${f.outcome.kind} ${f.outcome.errorClass ?? ''}: ${f.outcome.message ?? ''} [${f.origin}]`);
      expect(failures).toEqual([]);
      expect(stats.cases).toBe(CASES);
      expect(stats.typed + stats.accepted).toBe(CASES);
    });
  }
});
