/**
 * Fuzz target: readContainer on `.onebit` files. Seeds are containers written by writeContainer;
 * mutations almost always break a CRC, so the generator also writes random JSON headers with a
 * correct CRC around them, reaching the header validation and layout checks.
 */
import fc from 'fast-check';
import { readContainer, writeContainer } from '@onebit/container';
import { packSigns } from '@onebit/bits';
import type { Seed } from '../mutation.js';
import { containerWithHeader } from '../seeds/container-bytes.js';
import type { FuzzTarget } from '../target.js';

function seeds(): Seed[] {
  const bits = packSigns(new Float32Array([1, -1, -1, 1, 1, 1, -1, 1, -1, 1, 1, -1, 1, 1, 1, -1, -1, -1]));
  const binary = { name: 'conv.weight', role: 'binary-weight' as const, weight: { dims: [2, 1, 3, 3], bits, scale: new Float32Array([0.5, 0.25]) } };
  const scalar = { name: 'fc.weight', role: 'binary-weight' as const, weight: { dims: [3, 6], bits, scale: 0.125 } };
  const bias = { name: 'conv.bias', role: 'float' as const, tensor: { dtype: 'float32' as const, dims: [2], data: new Float32Array([0.1, -0.2]) } };
  return [
    { name: 'generated/three-tensors.onebit', bytes: writeContainer({ model: { arch: 'fuzz' }, graph: new Uint8Array([1, 2, 3]), tensors: [binary, scalar, bias] }) },
    { name: 'generated/empty.onebit', bytes: writeContainer({ model: {}, tensors: [] }) },
  ];
}

const section = fc.record({ offset: fc.oneof(fc.nat(256), fc.constant(2 ** 53)), length: fc.oneof(fc.nat(256), fc.constant(-1)), crc32: fc.constantFrom('00000000', 'zz', 'ffffffff') });
const dims = fc.array(fc.oneof(fc.nat(40), fc.constantFrom(10 ** 12, 2 ** 40, -3, 0.5)), { maxLength: 5 });
const tensorEntry = fc.record({
  name: fc.oneof(fc.string({ maxLength: 4 }), fc.constant('')),
  role: fc.constantFrom('binary-weight', 'float', 'other'),
  dims,
  dtype: fc.constantFrom('float32', 'int64', 'uint8', 'complex64'),
  bits: fc.record({ order: fc.constantFrom('lsb-first', 'msb-first'), axis: fc.constant(0), wordBits: fc.constant(32), rows: fc.nat(40), rowLength: fc.nat(40), rowWords: fc.nat(4) }),
  scale: fc.oneof(fc.double(), section.map((s) => ({ ...s, dtype: 'float32', dims: [2] }))),
  data: section,
});
/** Deeply nested JSON text (e.g. as `model`) that stack-recursive code cannot parse or print. */
const deep = fc.integer({ min: 1, max: 20000 }).map((n) => '['.repeat(n) + ']'.repeat(n));
const json = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<string> => arb.map((v) => JSON.stringify(v));

export const containerGenerator: fc.Arbitrary<Uint8Array> = fc.tuple(
  fc.oneof(json(fc.object({ maxDepth: 2 })), deep),
  fc.oneof(json(fc.array(tensorEntry, { maxLength: 3 })), deep),
  fc.option(json(section), { nil: undefined }),
  fc.uint8Array({ maxLength: 128 }),
).map(([model, tensors, graph, data]) => {
  return containerWithHeader(`{"model":${model},"tensors":${tensors}${graph === undefined ? '' : `,"graph":${graph}`}}`, data);
});

export const containerTarget: FuzzTarget = {
  name: 'container',
  seeds,
  generator: containerGenerator,
  read: (bytes) => readContainer(bytes),
};
