/** Tests of inflating miCOMPRESSED data with a size limit. */
import { describe, expect, it } from 'vitest';
import { FormatError, LimitError } from '@onebit/core';
import { zlibSync } from 'fflate';
import { inflateLimited } from './inflate.js';

describe('inflateLimited', () => {
  it('inflates data larger than one input slice', () => {
    const plain = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
    expect(inflateLimited(zlibSync(plain), 1 << 20, 128)).toEqual(plain);
  });

  it('EXPECTED FAILURE: output over the limit is refused while inflating (a zip bomb)', () => {
    const bomb = zlibSync(new Uint8Array(10_000_000));
    expect(bomb.length).toBeLessThan(20_000);
    expect(() => inflateLimited(bomb, 1_000_000, 128)).toThrow(
      new LimitError('MAT: compressed variable at byte 128 inflates to more than the 1000000-byte limit (maxInflatedBytes); pass a larger maxInflatedBytes option to the reader (--max-inflated-bytes on the command line) if the file is trusted.'),
    );
  });

  it('EXPECTED FAILURE: corrupt or cut zlib data', () => {
    expect(() => inflateLimited(Uint8Array.from([1, 2, 3, 4, 5]), 1000, 136)).toThrow(FormatError);
    expect(() => inflateLimited(Uint8Array.from([1, 2, 3, 4, 5]), 1000, 136)).toThrow(/^MAT: compressed element at byte 136 is not valid zlib data \(.+\)\.$/);
    const cut = zlibSync(new Uint8Array(1000).map((_, i) => i % 13)).subarray(0, 10);
    expect(() => inflateLimited(cut, 1 << 20, 136)).toThrow(/^MAT: compressed element at byte 136 (is not valid zlib data|ends before its zlib stream does)/);
  });
});
