/**
 * What a Chromium page downloaded: every file the page (and its workers) received except the
 * batches of images a runner puts on the server (paths under /batch/), each path counted once (a
 * file fetched again, e.g. a script by the page and by a worker, would come from a cache), gzipped (level 9, as a server
 * would send it compressed), so two pages' totals compare JS + wasm + model like for like.
 */
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';

/** Bytes a page downloaded: raw and gzipped totals and each file's path. */
export interface PageDownload {
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly files: ReadonlyArray<{ path: string; bytes: number; gzipBytes: number }>;
}

/** Starts recording `page`'s responses; call the returned function for the total so far. */
export function recordPageDownload(page: Page): () => Promise<PageDownload> {
  const bodies: Array<Promise<{ path: string; body: Buffer } | undefined>> = [];
  page.context().on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.status() !== 200 || path.startsWith('/batch/')) return;
    bodies.push(r.body().then((body) => ({ path, body }), () => undefined));
  });
  return async () => {
    const unique = new Map((await Promise.all(bodies)).filter((f) => f !== undefined).map((f) => [f.path, f.body] as const));
    const files = [...unique].map(([path, body]) => ({ path, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length }));
    return { bytes: files.reduce((s, f) => s + f.bytes, 0), gzipBytes: files.reduce((s, f) => s + f.gzipBytes, 0), files };
  };
}
