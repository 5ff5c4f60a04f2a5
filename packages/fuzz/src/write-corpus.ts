/**
 * Writes every corpus input (corpus-inputs.ts) into test-fixtures/fuzz-corpus/ and prints what
 * each reader now does with it, to fill in expected-errors.json. Run: node dist/write-corpus.js
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_INPUTS } from './corpus-inputs.js';
import { REPO_ROOT } from './seeds/fixture-files.js';

const dir = join(REPO_ROOT, 'test-fixtures', 'fuzz-corpus');
mkdirSync(dir, { recursive: true });
for (const [name, build] of Object.entries(CORPUS_INPUTS)) {
  const bytes = build();
  writeFileSync(join(dir, name), bytes);
  console.log(`${name}: ${bytes.length} bytes`);
}
