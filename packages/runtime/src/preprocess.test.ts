/** Preprocessing presets and the interleaved → planar conversion. */
import { describe, expect, it } from 'vitest';
import { preprocessParams, preprocessTables, toPlanar } from './preprocess.js';

describe('preprocess', () => {
  it('raw255 keeps bytes as floats; unit divides by 255 in float32', () => {
    const [raw] = preprocessTables(preprocessParams('raw255'), 1);
    expect(raw![200]).toBe(200);
    const [unit] = preprocessTables(preprocessParams('unit'), 1);
    expect(unit![51]).toBe(Math.fround(51 / 255));
  });

  it('applies per-channel mean and std', () => {
    const tables = preprocessTables({ name: 'x', scale: 1, mean: [10, 20, 30], std: [2, 4, 5] }, 3);
    expect([tables[0]![20], tables[1]![20], tables[2]![20]]).toEqual([5, 0, -2]);
  });

  it('turns interleaved RGBA into planar RGB, dropping alpha', () => {
    const tables = preprocessTables(preprocessParams('raw255'), 3);
    const out = new Float32Array(2 + 6);
    toPlanar(Uint8Array.from([1, 2, 3, 255, 4, 5, 6, 255]), 2, 1, 4, tables, out, 2);
    expect(Array.from(out)).toEqual([0, 0, 1, 4, 2, 5, 3, 6]);
  });

  it('BAD CALL: unknown presets and mismatched channel counts are RangeErrors', () => {
    expect(() => preprocessParams('imagenet')).toThrow(new RangeError('Unknown preprocessing "imagenet"; known: raw255, unit, cifar-wrn.'));
    expect(() => preprocessTables({ name: 'two', scale: 1, mean: [1, 2], std: [1] }, 3)).toThrow(RangeError);
  });
});
