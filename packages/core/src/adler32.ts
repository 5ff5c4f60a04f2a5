/**
 * Adler-32 (RFC 1950 §8.2: two 16-bit sums modulo 65521), the checksum that closes every zlib
 * stream. Hand-written because fflate's unzlibSync neither checks nor exports it and node:zlib is not
 * allowed in browser-safe packages.
 */

const MOD = 65521;
/** Most bytes summed before reducing: the largest n with 255·n·(n+1)/2 + (n+1)·(MOD−1) < 2^32 (zlib's NMAX). */
const NMAX = 5552;

/** Adler-32 of `bytes` as an unsigned 32-bit number. */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; ) {
    const end = Math.min(bytes.length, i + NMAX);
    for (; i < end; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= MOD;
    b %= MOD;
  }
  return ((b << 16) | a) >>> 0;
}
