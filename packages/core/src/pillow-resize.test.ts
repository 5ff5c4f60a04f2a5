/**
 * resizeBilinearPillow against Pillow 9.4's own output (test-fixtures/pillow-resize/make.py): every
 * byte of enlarged, shrunk, mixed, 1-pixel and grey images must be equal, not merely close.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resizeBilinearPillow } from './pillow-resize.js';

interface GoldenCase { w: number; h: number; c: number; ow: number; oh: number; in: string; out: string }
const golden = JSON.parse(readFileSync(new URL('../../../test-fixtures/pillow-resize/bilinear-golden.json', import.meta.url), 'utf8')) as { pillow: string; cases: GoldenCase[] };
const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

describe('resizeBilinearPillow', () => {
  it.each(golden.cases.map((c) => [`${c.w}×${c.h}×${c.c} → ${c.ow}×${c.oh}`, c] as const))('equals Pillow %s byte for byte', (_, c) => {
    expect(resizeBilinearPillow(bytes(c.in), c.w, c.h, c.c, c.ow, c.oh)).toEqual(bytes(c.out));
  });

  it('returns a copy when the size is unchanged', () => {
    const data = Uint8Array.of(1, 2, 3, 4, 5, 6);
    const out = resizeBilinearPillow(data, 2, 1, 3, 2, 1);
    expect(out).toEqual(data);
    expect(out).not.toBe(data);
  });

  it('BAD CALL: a buffer of the wrong length or a zero size is a RangeError', () => {
    expect(() => resizeBilinearPillow(new Uint8Array(5), 2, 1, 3, 1, 1)).toThrow('5 bytes are not 2×1 pixels of 3 channels.');
    expect(() => resizeBilinearPillow(new Uint8Array(6), 2, 1, 3, 0, 1)).toThrow('The output width of a resize must be a positive integer, got 0.');
  });
});
