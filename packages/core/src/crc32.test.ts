/** Tests of CRC-32 against the standard check value and node:zlib's crc32 (Node ≥ 20.15). */
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, crcHex } from './crc32.js';

describe('crc32', () => {
  it('gives the standard check value for "123456789" and 0 for no bytes', () => {
    expect(crcHex(crc32(new TextEncoder().encode('123456789')))).toBe('cbf43926');
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('agrees with node:zlib over random buffers', () => {
    const zlibCrc32 = (zlib as { crc32?: (b: Uint8Array) => number }).crc32;
    if (typeof zlibCrc32 !== 'function') return;
    let s = 7;
    for (const n of [1, 3, 64, 1000, 4099]) {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = s = (s * 1103515245 + 12345) & 0xff;
      expect(crc32(b)).toBe(zlibCrc32(b));
    }
  });
});
