/**
 * Fuzz target: readMat on MAT level-5 files. Seeds are tiny files built byte by byte (plain and
 * compressed, both byte orders); the generator writes variables with random classes, storage types
 * and dimensions (up to 2^31 − 1 per axis), cells and structs nested to random depths.
 */
import fc from 'fast-check';
import { readMat } from '@onebit/mat';
import { matSeeds } from '../seeds/mat-seeds.js';
import type { FuzzTarget } from '../target.js';
import { concatBytes } from '../concat-bytes.js';
import { matHeader } from '../seeds/mat-seeds.js';

function tagged(type: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + data.length + ((8 - (data.length % 8)) % 8));
  new DataView(out.buffer).setUint32(0, type, true);
  new DataView(out.buffer).setUint32(4, data.length, true);
  out.set(data, 8);
  return out;
}

function int32s(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  values.forEach((v, i) => new DataView(out.buffer).setInt32(i * 4, v, true));
  return out;
}

interface VarSpec { classCode: number; flags: number; dims: number[]; dataType: number; data: Uint8Array; extra: Uint8Array[] }

function matrixElement(v: VarSpec, name: string): Uint8Array {
  const parts = [tagged(6, int32s([v.flags | v.classCode, 0])), tagged(5, int32s(v.dims)), tagged(1, new TextEncoder().encode(name)), tagged(v.dataType, v.data), ...v.extra];
  const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    body.set(p, at);
    at += p.length;
  }
  return tagged(14, body);
}

const varSpec: fc.Arbitrary<VarSpec> = fc.letrec<{ v: VarSpec }>((tie) => ({
  v: fc.record({
    classCode: fc.oneof(fc.integer({ min: 0, max: 18 }), fc.constantFrom(1, 2, 4, 6, 9)),
    flags: fc.constantFrom(0, 0x200, 0x800, 0x1000),
    dims: fc.array(fc.oneof(fc.nat(5), fc.constantFrom(2 ** 31 - 1, 1 << 20, -1)), { minLength: 1, maxLength: 4 }),
    dataType: fc.oneof(fc.constantFrom(1, 2, 5, 6, 7, 9, 16, 17), fc.integer({ min: 0, max: 20 })),
    data: fc.uint8Array({ maxLength: 48 }),
    extra: fc.oneof({ depthSize: 'small' }, fc.constant<Uint8Array[]>([]), fc.array(tie('v').map((inner) => matrixElement(inner, '')), { maxLength: 3 })),
  }),
})).v;


export const matGenerator: fc.Arbitrary<Uint8Array> = fc.array(varSpec, { minLength: 1, maxLength: 3 }).map((vars) => {
  const parts = [matHeader('MATLAB 5.0 MAT-file, onebit fuzz'), ...vars.map((v, i) => matrixElement(v, `v${i}`))];
  return concatBytes(...parts);
});

export const matTarget: FuzzTarget = {
  name: 'mat',
  seeds: matSeeds,
  generator: matGenerator,
  read: (bytes) => readMat(bytes),
  memoryFactor: 1100,
};
