/**
 * Replays test-fixtures/fuzz-corpus/: every minimised input a fuzz campaign found must still give
 * exactly the outcome recorded in expected-errors.json (error class and message, or accepted),
 * within the time and memory bounds, and still be the bytes its builder in corpus-inputs.ts writes.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_INPUTS } from './corpus-inputs.js';
import { runCase } from './run-case.js';
import { REPO_ROOT } from './seeds/fixture-files.js';
import { targetByName } from './targets/all-targets.js';

const dir = join(REPO_ROOT, 'test-fixtures', 'fuzz-corpus');
const table = JSON.parse(readFileSync(join(dir, 'expected-errors.json'), 'utf8')) as Record<string, { reader: string; error: string | null; message: string | null }>;

describe('fuzz corpus', () => {
  it('lists every corpus file and every builder exactly once', () => {
    const files = readdirSync(dir).filter((f) => f !== 'expected-errors.json' && f !== 'README.md').sort();
    expect(Object.keys(table).sort()).toEqual(files);
    expect(Object.keys(CORPUS_INPUTS).sort()).toEqual(files);
  });

  for (const [file, expected] of Object.entries(table)) {
    it(`${file}: ${expected.error ?? 'accepted'}`, async () => {
      const bytes = new Uint8Array(readFileSync(join(dir, file)));
      expect(bytes).toEqual(CORPUS_INPUTS[file]!());
      const target = targetByName(expected.reader);
      let thrown: unknown;
      try {
        await target.read(bytes);
      } catch (error) {
        thrown = error;
      }
      if (expected.error === null) expect(thrown).toBeUndefined();
      else {
        expect((thrown as Error).constructor.name).toBe(expected.error);
        expect((thrown as Error).message).toBe(expected.message);
      }
      const outcome = await runCase(target, bytes);
      expect(outcome.kind).toBe(expected.error === null ? 'accepted' : 'typed');
    });
  }
});
