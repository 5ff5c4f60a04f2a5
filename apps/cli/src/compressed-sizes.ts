/**
 * Download sizes of bytes as a web server would send them, measured (not estimated) with node:zlib
 * at the levels servers use when compressing on the fly: gzip -6 (zlib's default) and brotli
 * quality 5. gzip -9 and brotli -q 9 took 72 s on the 107 MB float ONNX of the authors' WRN (long
 * match chains on its two-valued weights) for a few per cent less; these levels take seconds.
 * Used by `inspect --sizes` so the report compares what users actually download. The async zlib
 * calls run on libuv's thread pool, so gzip and brotli of different inputs use every core.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { CompressedSizes } from '@onebit/container';

export const GZIP_LEVEL = 6;
export const BROTLI_QUALITY = 5;
export const COMPRESSION_LABEL = `measured with gzip -${GZIP_LEVEL}, brotli -q ${BROTLI_QUALITY}`;

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** gzip and brotli sizes of `bytes` in bytes, at GZIP_LEVEL and BROTLI_QUALITY. */
export async function compressedSizes(bytes: Uint8Array): Promise<Required<CompressedSizes>> {
  const [gz, br] = await Promise.all([
    gzipAsync(bytes, { level: GZIP_LEVEL }),
    brotliAsync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
  ]);
  return { gzip: gz.length, brotli: br.length };
}
