/**
 * Fuzz target: readNpy on NumPy .npy files. Seeds are the held-out logits fixture and small files
 * of several dtypes and byte orders; the generator writes header dicts with random descr, shapes
 * (huge, negative, malformed) and versions.
 */
import fc from 'fast-check';
import { readNpy } from '@onebit/validate';
import { repoSeeds } from '../seeds/fixture-files.js';
import type { Seed } from '../mutation.js';
import type { FuzzTarget } from '../target.js';

export function npyFile(header: string, data: Uint8Array, major = 1): Uint8Array {
  const text = new TextEncoder().encode(header);
  const lengthBytes = major === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lengthBytes + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  out.set(text, 8 + lengthBytes);
  out.set(data, 8 + lengthBytes + text.length);
  return out;
}

function seeds(): Seed[] {
  return [
    ...repoSeeds(['test-fixtures/mnist-1bit/heldout-logits.npy']),
    { name: 'generated/f4-2x3.npy', bytes: npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new Uint8Array(24).fill(0x3f)) },
    { name: 'generated/be-i8.npy', bytes: npyFile("{'descr': '>i8', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(16).fill(1), 2) },
    { name: 'generated/u1-scalar.npy', bytes: npyFile("{'descr': '|u1', 'fortran_order': False, 'shape': (), }", new Uint8Array([7]), 3) },
  ];
}

export const npyGenerator: fc.Arbitrary<Uint8Array> = fc.tuple(
  fc.constantFrom('<f4', '>f8', '|u1', '<i8', '>f2', '<U8', '|b1', "'", '<f99999999999'),
  fc.boolean(),
  fc.array(fc.oneof(fc.nat(5).map(String), fc.constantFrom('1000000000000', '-1', '2L', 'x', '1e3', '')), { maxLength: 4 }),
  fc.constantFrom(1, 2, 3, 4),
  fc.uint8Array({ maxLength: 64 }),
).map(([descr, fortran, shape, major, data]) => npyFile(`{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}), }`, data, major));

export const npyTarget: FuzzTarget = {
  name: 'npy',
  seeds,
  generator: npyGenerator,
  read: (bytes) => readNpy(bytes),
};
