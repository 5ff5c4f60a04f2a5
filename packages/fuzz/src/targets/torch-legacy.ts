/**
 * Fuzz target: readTorch on legacy torch.save files (five pickles and raw storages back to back).
 * Seeds are the legacy fixtures; the generator wraps generated pickle programs in the legacy layout
 * so they reach the tensor rebuilding and state_dict flattening stages.
 */
import { readTorch } from '@onebit/pytorch';
import { pickleProgram } from '../generators/pickle-program.js';
import { legacyTorchFile } from '../seeds/pickle-writer.js';
import { repoSeeds } from '../seeds/fixture-files.js';
import type { FuzzTarget } from '../target.js';

const FIXTURES = ['big-endian', 'checkpoint-dp', 'dtypes', 'nested', 'storage-view', 'tiny-cnn', 'tiny-cnn.proto4', 'views']
  .map((n) => `test-fixtures/pytorch/${n}.legacy.pt`).concat(['test-fixtures/pytorch/evil-legacy.pt']);

export const torchLegacyTarget: FuzzTarget = {
  name: 'torch-legacy',
  seeds: () => repoSeeds(FIXTURES),
  generator: pickleProgram().map(legacyTorchFile),
  read: (bytes) => readTorch(bytes),
};
