/**
 * Fuzz target: readCifar on CIFAR-10/100 binary batches (fixed-size records, no header). Seeds are
 * the first 1000 and first 10 records of the shared CIFAR-10 test batch (read by path, skipped when
 * absent) and a synthetic 3-record CIFAR-100 file; record edits duplicate and reorder records.
 */
import { readCifar } from '@onebit/validate';
import { sharedSlice } from '../seeds/fixture-files.js';
import type { Seed } from '../mutation.js';
import type { FuzzTarget } from '../target.js';

const RECORD = 3073;

function seeds(): Seed[] {
  const out: Seed[] = [];
  const batch = sharedSlice('datasets/cifar10/test_batch_0-999.bin', 1000 * RECORD);
  if (batch && batch.length >= 10 * RECORD) {
    out.push({ name: 'shared:cifar10 records 0-999', bytes: batch.subarray(0, Math.floor(batch.length / RECORD) * RECORD) });
    out.push({ name: 'shared:cifar10 records 0-9', bytes: batch.slice(0, 10 * RECORD) });
  }
  const c100 = new Uint8Array(3 * 3074);
  for (let i = 0; i < 3; i++) {
    c100[i * 3074] = i * 7;
    c100[i * 3074 + 1] = i * 33;
    for (let p = 2; p < 3074; p++) c100[i * 3074 + p] = (p * 31 + i) & 0xff;
  }
  out.push({ name: 'generated/cifar100-3-records', bytes: c100 });
  return out;
}

export const cifarTarget: FuzzTarget = {
  name: 'cifar',
  seeds,
  recordSize: RECORD,
  read: (bytes) => readCifar(bytes),
};
