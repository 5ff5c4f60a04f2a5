/**
 * compressedSizes: small inputs are measured exactly (equal to node:zlib on the whole input); large
 * ones are estimated from a chunk sample, and the estimate lies within its own 95 % bound of the
 * exact sizes, on data shaped like a float ONNX of ±a weights (two float values per layer, random signs).
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BROTLI_QUALITY, compressedSizes, ESTIMATE_ABOVE_BYTES, GZIP_LEVEL, SAMPLE_CHUNK_BYTES } from './compressed-sizes.js';

/** `layers` runs of float32 ±scale with pseudo-random signs (a fixed LCG), each layer its own scale, after a 64 KiB header. */
function floatWeights(bytes: number, layers: number): Uint8Array {
  const out = new Float32Array(bytes / 4);
  let seed = 12345;
  const header = 16384;
  for (let i = 0; i < header; i++) out[i] = i % 97;
  const per = Math.ceil((out.length - header) / layers);
  for (let i = header; i < out.length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const scale = 0.01 * (1 + Math.floor((i - header) / per));
    out[i] = (seed >>> 16) & 1 ? scale : -scale;
  }
  return new Uint8Array(out.buffer);
}

describe('compressedSizes', () => {
  it('measures an input up to 16 MiB whole: the sizes node:zlib gives, no estimate', async () => {
    const bytes = floatWeights(2 ** 20, 3);
    const sizes = await compressedSizes(bytes);
    expect(sizes.estimate).toBeUndefined();
    expect(sizes.gzip).toBe(gzipSync(bytes, { level: GZIP_LEVEL }).length);
    expect(sizes.brotli).toBe(brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } }).length);
  });

  it('estimates a larger input from a chunk sample, within its 95 % bound of the exact sizes', async () => {
    const bytes = floatWeights(ESTIMATE_ABOVE_BYTES + 4 * SAMPLE_CHUNK_BYTES + 1000, 5);
    const [estimated, exact] = await Promise.all([compressedSizes(bytes), compressedSizes(bytes, { exact: true })]);
    const e = estimated.estimate!;
    expect(e.chunks).toBe(Math.ceil(bytes.length / SAMPLE_CHUNK_BYTES));
    expect(e.chunksSampled).toBeLessThan(e.chunks / 3);
    expect(exact.estimate).toBeUndefined();
    expect(Math.abs(estimated.gzip / exact.gzip - 1)).toBeLessThanOrEqual(Math.max(e.gzipError95, 0.005));
    expect(Math.abs(estimated.brotli / exact.brotli - 1)).toBeLessThanOrEqual(Math.max(e.brotliError95, 0.005));
    // The estimate is not the raw size: the data compresses (one sign bit of entropy per 4 bytes).
    expect(estimated.gzip).toBeLessThan(bytes.length / 4);
  }, 120_000);
});
