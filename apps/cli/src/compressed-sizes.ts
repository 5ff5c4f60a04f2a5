/**
 * Download sizes of bytes as a web server would send them: gzip -9 and brotli quality 9 (node:zlib).
 * Used by `inspect --sizes` so the report compares what users actually download.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { CompressedSizes } from '@onebit/container';

export const COMPRESSION_LABEL = 'gzip -9, brotli -q 9';

export function compressedSizes(bytes: Uint8Array): Required<CompressedSizes> {
  return {
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length,
  };
}
