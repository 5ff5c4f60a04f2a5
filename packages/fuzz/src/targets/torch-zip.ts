/**
 * Fuzz target: readTorch on torch.save zip archives. Seeds are the zip fixtures (stored and
 * deflated) plus archives with `../` entry names; the generator puts generated pickle programs in
 * a zip beside entries with hostile names. Deflate may expand 1032×, hence the memory factor.
 */
import fc from 'fast-check';
import { readTorch } from '@onebit/pytorch';
import { pickleProgram } from '../generators/pickle-program.js';
import { PickleWriter, torchZipFile } from '../seeds/pickle-writer.js';
import { repoSeeds } from '../seeds/fixture-files.js';
import type { Seed } from '../mutation.js';
import type { FuzzTarget } from '../target.js';

const FIXTURES = ['checkpoint-dp.zip', 'dtypes.zip', 'nested.zip', 'tiny-cnn.zip', 'tiny-cnn.deflated', 'views.zip', 'views.big-endian.zip', 'evil-in-zip']
  .map((n) => `test-fixtures/pytorch/${n}.pt`);

const HOSTILE_NAMES = ['../../evil.sh', '/etc/cron.d/evil', 'archive/data/../../../x', 'archive/data/0', '..\\..\\win.ini', 'archive/byteorder'];

function escapingZip(): Seed {
  const pkl = new PickleWriter().proto(2).emptyDict().stop().bytes();
  return { name: 'generated/escaping-names.zip', bytes: torchZipFile(pkl, { '../../evil.sh': new TextEncoder().encode('rm -rf /\n'), '/tmp/abs': new Uint8Array(4) }) };
}

export const torchZipTarget: FuzzTarget = {
  name: 'torch-zip',
  seeds: () => [...repoSeeds(FIXTURES), escapingZip()],
  generator: fc.tuple(pickleProgram(), fc.dictionary(fc.constantFrom(...HOSTILE_NAMES), fc.uint8Array({ maxLength: 16 }), { maxKeys: 3 }))
    .map(([pkl, extra]) => torchZipFile(pkl, extra)),
  read: (bytes) => readTorch(bytes),
  memoryFactor: 1100,
};
