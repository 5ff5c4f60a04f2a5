/**
 * recordPageDownload counts what the page's loopback server sent: each path once, gzipped at level
 * 9, batches (/batch/) left out, a removed route forgotten, nothing the page did not fetch.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { startLoopbackServer } from './loopback-server.js';
import { recordPageDownload } from './page-download.js';

describe('recordPageDownload', async () => {
  const server = await startLoopbackServer();
  afterAll(() => server.close());
  const model = new Uint8Array(5000).map((_, i) => (i * 7) & 0xff);

  it('counts each fetched file once, gzipped, without batches or unfetched files', async () => {
    server.put('/model.onnx', model);
    server.put('/index.html', '<p>hi</p>');
    server.put('/unused.js', 'never fetched');
    server.put('/batch/0.bin', new Uint8Array(100));
    for (const path of ['/model.onnx', '/model.onnx', '/index.html', '/batch/0.bin']) expect((await fetch(server.origin + path)).status).toBe(200);
    const download = await recordPageDownload(server)();
    expect(download.files).toEqual([
      { path: '/model.onnx', bytes: 5000, gzipBytes: gzipSync(model, { level: 9 }).length },
      { path: '/index.html', bytes: 9, gzipBytes: gzipSync('<p>hi</p>', { level: 9 }).length },
    ]);
    expect(download.bytes).toBe(5009);
    server.put('/model.onnx', undefined);
    expect((await recordPageDownload(server)()).files.map((f) => f.path)).toEqual(['/index.html']);
  });
});
