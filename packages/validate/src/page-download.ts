/**
 * What a Chromium page downloaded: every file its loopback server answered (the page's and its
 * workers' requests) except the batches of images a runner puts on the server (paths under
 * /batch/), each path counted once (`Cache-Control: no-store`, so a file fetched again is the same
 * bytes again), gzipped (level 9, as a server would send it compressed), so two pages' totals
 * compare JS + wasm + model like for like. Counted where the bytes are sent: reading the bodies back
 * from Chromium (its Network domain) once lost a streamed 3 MB model in one of six pages, and that
 * page's total came out 0.03 MB.
 */
import { gzipSync } from 'node:zlib';
import type { LoopbackServer } from './loopback-server.js';

/** Bytes a page downloaded: raw and gzipped totals and each file's path. */
export interface PageDownload {
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly files: ReadonlyArray<{ path: string; bytes: number; gzipBytes: number }>;
}

/** What `server` has sent so far, as a PageDownload (one server per page, as the runners have). */
export function recordPageDownload(server: LoopbackServer): () => Promise<PageDownload> {
  return async () => {
    const files = [...server.sent()]
      .filter(([path]) => !path.startsWith('/batch/'))
      .map(([path, body]) => {
        const bytes = typeof body === 'string' ? Buffer.from(body) : body;
        return { path, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
      });
    return { bytes: files.reduce((s, f) => s + f.bytes, 0), gzipBytes: files.reduce((s, f) => s + f.gzipBytes, 0), files };
  };
}
