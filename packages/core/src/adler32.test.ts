/** Tests of Adler-32 against RFC 1950's definition, the check value of "Wikipedia" and node:zlib streams. */
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { adler32 } from './adler32.js';

describe('adler32', () => {
  it('gives the known values', () => {
    expect(adler32(new Uint8Array(0))).toBe(1);
    expect(adler32(new TextEncoder().encode('Wikipedia')).toString(16)).toBe('11e60398');
  });
  it('matches the trailer zlib writes, across the 5552-byte reduction boundary', () => {
    for (const n of [1, 5551, 5552, 5553, 100_000]) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 7919 + (i >> 3)) & 0xff | 0x80);
      const z = zlib.deflateSync(data);
      const trailer = ((z[z.length - 4]! << 24) | (z[z.length - 3]! << 16) | (z[z.length - 2]! << 8) | z[z.length - 1]!) >>> 0;
      expect(adler32(data)).toBe(trailer);
    }
  });
});
