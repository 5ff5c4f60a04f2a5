/**
 * Fuzz target: readSafetensors. The seed is the fixture file; the generator writes a JSON header
 * with random dtypes, shapes (huge, negative, nested) and data_offsets over a small buffer.
 */
import fc from 'fast-check';
import { readSafetensors } from '@onebit/pytorch';
import { repoSeeds, sharedSeeds } from '../seeds/fixture-files.js';
import type { FuzzTarget } from '../target.js';

const json = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<string> => arb.map((v) => JSON.stringify(v));

/** A tensor entry as JSON text; the shape may be an array nested 20 000 deep, which JSON.stringify cannot print. */
const entry: fc.Arbitrary<string> = fc.tuple(
  json(fc.oneof(fc.constantFrom('F32', 'F16', 'BF16', 'I64', 'U8', 'BOOL', 'F8_E4M3', 'x'), fc.integer())),
  fc.oneof(
    json(fc.array(fc.oneof(fc.nat(6), fc.constantFrom(10 ** 12, -1, 2 ** 53, 1.5)), { maxLength: 4 })),
    fc.integer({ min: 1, max: 20000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  ),
  json(fc.oneof(fc.tuple(fc.nat(64), fc.nat(64)), fc.constant([0, 10 ** 15]), fc.constant('x'))),
).map(([dtype, shape, offsets]) => `{"dtype":${dtype},"shape":${shape},"data_offsets":${offsets}}`);

export const safetensorsGenerator: fc.Arbitrary<Uint8Array> = fc.tuple(
  fc.array(fc.tuple(json(fc.string({ maxLength: 6 })), entry), { maxLength: 4 }),
  fc.option(json(fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string(), fc.integer()))), { nil: undefined }),
  fc.uint8Array({ maxLength: 64 }),
).map(([tensors, metadata, buffer]) => {
  const fields = tensors.map(([name, e]) => `${name}:${e}`);
  if (metadata) fields.push(`"__metadata__":${metadata}`);
  const header = new TextEncoder().encode(`{${fields.join(',')}}`);
  const out = new Uint8Array(8 + header.length + buffer.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  out.set(buffer, 8 + header.length);
  return out;
});

export const safetensorsTarget: FuzzTarget = {
  name: 'safetensors',
  seeds: () => [...repoSeeds(['test-fixtures/pytorch/tiny.safetensors']), ...sharedSeeds(['cases/readers/safetensors/test_whitespace_leading_padded_header.safetensors'])],
  generator: safetensorsGenerator,
  read: (bytes) => readSafetensors(bytes),
};
