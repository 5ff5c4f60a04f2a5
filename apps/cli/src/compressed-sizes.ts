/**
 * Download sizes of bytes as a web server would send them, with node:zlib at the levels servers use
 * when compressing on the fly: gzip -6 (zlib's default) and brotli quality 5. Inputs up to 16 MiB are
 * compressed whole (measured). Larger ones (the float ONNX of a big model: 107 MB for the authors'
 * WRN, 4–6 s of CPU at these levels, 72 s at gzip -9/brotli -q 9) are estimated by default from a
 * stratified sample of 1 MiB chunks, each compressed as it would be inside the whole stream (gzip
 * primed with the preceding 32 KiB window, brotli as the size added after the preceding 1 MiB), with a
 * 95 % error bound computed from the sample; `exact` compresses them whole. Used by `inspect --sizes`.
 * The async zlib calls run on libuv's thread pool, so different inputs and chunks use every core.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, deflateRaw, gzip } from 'node:zlib';
import type { CompressedSizes } from '@onebit/container';

export const GZIP_LEVEL = 6;
export const BROTLI_QUALITY = 5;
export const COMPRESSION_LABEL = `gzip -${GZIP_LEVEL}, brotli -q ${BROTLI_QUALITY}`;
/** Inputs larger than this are estimated unless `exact` is asked for. */
export const ESTIMATE_ABOVE_BYTES = 16 * 2 ** 20;
/** Chunk size of the sample; every SAMPLE_EVERY-th chunk between the measured head and tail is compressed. */
export const SAMPLE_CHUNK_BYTES = 2 ** 20;
export const SAMPLE_EVERY = 8;
/** deflate's window (RFC 1951: distances reach back at most 32 KiB), used as each chunk's preset dictionary. */
const DEFLATE_WINDOW = 32 * 1024;
/** Preceding bytes brotli sees before a sampled chunk (on the WRN's float ONNX, summing every chunk this way is within 0.05 % of the whole). */
const BROTLI_CONTEXT = 2 ** 20;
/** gzip's 10-byte header and 8-byte trailer (RFC 1952) around the raw deflate stream. */
const GZIP_FRAMING = 18;

const gzipAsync = promisify(gzip);
const deflateRawAsync = promisify(deflateRaw);
const brotliAsync = promisify(brotliCompress);

/** How an estimate was made: bytes compressed out of the total, and its 95 % relative error bound. */
export interface SizeEstimate {
  readonly chunkBytes: number;
  readonly chunksSampled: number;
  readonly chunks: number;
  readonly sampledBytes: number;
  /** Half-width of the 95 % interval, relative to the estimate (0.01 = ±1 %). */
  readonly gzipError95: number;
  readonly brotliError95: number;
}

export type DownloadSizes = Required<CompressedSizes> & { readonly estimate?: SizeEstimate };

const brotliSize = async (bytes: Uint8Array): Promise<number> =>
  (await brotliAsync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })).length;

/** gzip and brotli sizes of `bytes` in bytes: measured, or (above ESTIMATE_ABOVE_BYTES, unless `exact`) estimated with `estimate` saying how. */
export async function compressedSizes(bytes: Uint8Array, options: { exact?: boolean } = {}): Promise<DownloadSizes> {
  if (!options.exact && bytes.length > ESTIMATE_ABOVE_BYTES) return estimateCompressedSizes(bytes);
  const [gz, br] = await Promise.all([gzipAsync(bytes, { level: GZIP_LEVEL }), brotliSize(bytes)]);
  return { gzip: gz.length, brotli: br };
}

/** Compressed sizes of chunk `i` as it costs inside the whole stream. */
async function chunkSizes(bytes: Uint8Array, i: number): Promise<{ gzip: number; brotli: number }> {
  const start = i * SAMPLE_CHUNK_BYTES;
  const end = Math.min(bytes.length, start + SAMPLE_CHUNK_BYTES);
  const chunk = bytes.subarray(start, end);
  const window = bytes.subarray(Math.max(0, start - DEFLATE_WINDOW), start);
  const context = bytes.subarray(Math.max(0, start - BROTLI_CONTEXT), start);
  const [gz, withContext, contextOnly] = await Promise.all([
    deflateRawAsync(chunk, { level: GZIP_LEVEL, ...(window.length > 0 ? { dictionary: window } : {}) }),
    brotliSize(bytes.subarray(start - context.length, end)),
    context.length > 0 ? brotliSize(context) : Promise.resolve(0),
  ]);
  return { gzip: gz.length, brotli: withContext - contextOnly };
}

/**
 * Estimates gzip and brotli sizes from a stratified sample: the file is cut into 1 MiB chunks; the
 * first and the last two (headers, small tensors, the partial tail) are measured, and of the chunks
 * between, every SAMPLE_EVERY-th; their mean size times their count is the middle's estimate. The 95 %
 * bound is 1.96 standard errors of that mean (with the finite-population correction), relative to the total.
 */
export async function estimateCompressedSizes(bytes: Uint8Array): Promise<DownloadSizes> {
  const chunks = Math.ceil(bytes.length / SAMPLE_CHUNK_BYTES);
  const always = [...new Set([0, chunks - 2, chunks - 1].filter((i) => i >= 0))];
  const middle: number[] = [];
  for (let i = 1; i < chunks - 2; i++) middle.push(i);
  const offset = Math.floor(SAMPLE_EVERY / 2);
  const sampled = middle.filter((_, k) => k % SAMPLE_EVERY === offset);
  const [fixed, sample] = await Promise.all([Promise.all(always.map((i) => chunkSizes(bytes, i))), Promise.all(sampled.map((i) => chunkSizes(bytes, i)))]);
  const estimate = (key: 'gzip' | 'brotli'): { total: number; error95: number } => {
    const known = fixed.reduce((s, c) => s + c[key], 0);
    if (sample.length === 0) return { total: known, error95: 0 };
    const values = sample.map((c) => c[key]);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.length > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1) : 0;
    const fpc = 1 - values.length / middle.length;
    const total = known + mean * middle.length;
    return { total, error95: (1.96 * middle.length * Math.sqrt((variance / values.length) * fpc)) / total };
  };
  const gz = estimate('gzip');
  const br = estimate('brotli');
  return {
    gzip: Math.round(gz.total) + GZIP_FRAMING,
    brotli: Math.round(br.total),
    estimate: {
      chunkBytes: SAMPLE_CHUNK_BYTES,
      chunksSampled: always.length + sampled.length,
      chunks,
      sampledBytes: [...always, ...sampled].reduce((s, i) => s + Math.min(SAMPLE_CHUNK_BYTES, bytes.length - i * SAMPLE_CHUNK_BYTES), 0),
      gzipError95: gz.error95,
      brotliError95: br.error95,
    },
  };
}
