/**
 * Fuzz target: the restricted unpickler with the checkpoint allow-list. Seeds are the plain-data
 * and hostile pickles of test-fixtures/pytorch; the generator writes pickle programs.
 */
import { ByteReader } from '@onebit/core';
import { allowListedGlobals, unpickle } from '@onebit/pytorch';
import { pickleProgram } from '../generators/pickle-program.js';
import { repoSeeds } from '../seeds/fixture-files.js';
import type { FuzzTarget } from '../target.js';

const FIXTURES = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'].map((p) => `test-fixtures/pytorch/plain-data.${p}.pkl`)
  .concat(['eval', 'getattr', 'os-system', 'popen', 'posix-system', 'torch-load'].map((e) => `test-fixtures/pytorch/evil-${e}.pkl`));

export const pickleTarget: FuzzTarget = {
  name: 'pickle',
  seeds: () => repoSeeds(FIXTURES),
  generator: pickleProgram(),
  read: (bytes) => unpickle(new ByteReader(bytes, 'pickle'), { findGlobal: allowListedGlobals('pickle') }),
};
