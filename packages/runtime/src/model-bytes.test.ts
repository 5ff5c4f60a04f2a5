/**
 * The model cache against a loopback HTTP server, on opaque bytes (no model is parsed here):
 * revalidation by ETag and by Last-Modified, a redeploy replacing the cached bytes and deleting the
 * old ones, expectedSha256 (pinned hit without a request, mismatch refused before use and not
 * cached), the offline fallback, eviction to the entry and byte bounds, and reading the first
 * version's URL index.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FetchError, ModelIntegrityError } from './errors.js';
import { fileCache } from './file-cache.js';
import { obtainModelBytes, type BytesPlatform } from './model-bytes.js';
import type { LoadOptions } from './types.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);

/** What the server serves at each path, and how it labels versions. */
const served = new Map<string, { body: Uint8Array; validator: 'etag' | 'last-modified' | 'none'; version: number }>();
const requests: { path: string; headers: IncomingHttpHeaders }[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({ path: req.url!, headers: req.headers });
    const s = served.get(req.url!);
    if (!s) return void res.writeHead(404).end();
    const etag = `"v${s.version}"`;
    const lastModified = new Date(Date.UTC(2026, 0, s.version)).toUTCString();
    if (s.validator === 'etag' && req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    if (s.validator === 'last-modified' && req.headers['if-modified-since'] === lastModified) return void res.writeHead(304, { 'last-modified': lastModified }).end();
    const headers: Record<string, string | number> = { 'content-length': s.body.length };
    if (s.validator === 'etag') headers['etag'] = etag;
    if (s.validator === 'last-modified') headers['last-modified'] = lastModified;
    res.writeHead(200, headers).end(s.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const dirs: string[] = [];
afterEach(() => {
  served.clear();
  requests.length = 0;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function platform(): BytesPlatform & { dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'onebit-model-cache-'));
  dirs.push(dir);
  return { dir, cache: fileCache(dir), urlOf: (s) => String(s), readLocal: () => Promise.reject(new Error('no paths here')) };
}

async function load(p: BytesPlatform, path: string, options: LoadOptions = {}) {
  const got = await obtainModelBytes(p, `${base}${path}`, `The model ${path}`, options);
  await got.commit();
  return got;
}
const stored = (dir: string): string[] => readdirSync(join(dir, 'sha256')).sort();

describe('the model cache', () => {
  it('revalidates with If-None-Match: 304 serves the cached bytes, a redeploy replaces them and deletes the old ones', async () => {
    const p = platform();
    const v1 = bytesOf('model version 1');
    const v2 = bytesOf('model version 2, retrained');
    served.set('/m.onnx', { body: v1, validator: 'etag', version: 1 });
    expect(await load(p, '/m.onnx')).toMatchObject({ cacheResult: 'miss', downloaded: v1.length, hash: sha(v1) });
    const again = await load(p, '/m.onnx');
    expect(again).toMatchObject({ cacheResult: 'not-modified', downloaded: 0, hash: sha(v1) });
    expect(requests[1]!.headers['if-none-match']).toBe('"v1"');

    served.set('/m.onnx', { body: v2, validator: 'etag', version: 2 });
    const redeployed = await load(p, '/m.onnx');
    expect(redeployed).toMatchObject({ cacheResult: 'miss', downloaded: v2.length, hash: sha(v2) });
    expect(Array.from(redeployed.bytes)).toEqual(Array.from(v2));
    expect(stored(p.dir)).toEqual([`${sha(v2)}.onnx`]);
    expect(await p.cache!.entry(`${base}/m.onnx`)).toMatchObject({ hash: sha(v2), bytes: v2.length, etag: '"v2"' });
  });

  it('revalidates with If-Modified-Since when the server sends only Last-Modified', async () => {
    const p = platform();
    served.set('/lm.onnx', { body: bytesOf('lm model'), validator: 'last-modified', version: 3 });
    await load(p, '/lm.onnx');
    expect(await load(p, '/lm.onnx')).toMatchObject({ cacheResult: 'not-modified', downloaded: 0 });
    expect(requests[1]!.headers['if-modified-since']).toBe('Sat, 03 Jan 2026 00:00:00 GMT');
  });

  it('a server without validators is asked again each time and the same bytes are not stored twice', async () => {
    const p = platform();
    served.set('/plain.onnx', { body: bytesOf('plain'), validator: 'none', version: 1 });
    await load(p, '/plain.onnx');
    expect(await load(p, '/plain.onnx')).toMatchObject({ cacheResult: 'miss', downloaded: 5 });
    expect(requests.map((r) => r.headers['if-none-match'] ?? r.headers['if-modified-since'] ?? null)).toEqual([null, null]);
    expect(stored(p.dir)).toEqual([`${sha(bytesOf('plain'))}.onnx`]);
  });

  it('with expectedSha256, a cached copy of that hash is used without a request', async () => {
    const p = platform();
    const v1 = bytesOf('pinned model');
    served.set('/pin.onnx', { body: v1, validator: 'etag', version: 1 });
    await load(p, '/pin.onnx', { expectedSha256: sha(v1).toUpperCase() });
    expect(await load(p, '/pin.onnx', { expectedSha256: sha(v1) })).toMatchObject({ cacheResult: 'pinned', downloaded: 0 });
    expect(requests).toHaveLength(1);
  });

  it('EXPECTED FAILURE: bytes that do not have the expectedSha256 are a ModelIntegrityError before use, and are not cached', async () => {
    const p = platform();
    const wrong = bytesOf('a different model');
    served.set('/w.onnx', { body: wrong, validator: 'etag', version: 1 });
    const expected = 'ab'.repeat(32);
    const error = await load(p, '/w.onnx', { expectedSha256: expected }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelIntegrityError);
    expect(error).toMatchObject({ expected, actual: sha(wrong), message: `The model /w.onnx has SHA-256 ${sha(wrong)}, not the expected ${expected}; the bytes served are not the model the caller pinned (update expectedSha256 or the file).` });
    expect(await p.cache!.entries()).toEqual([]);
    await expect(obtainModelBytes(p, wrong, 'The 17-byte model', { expectedSha256: expected })).rejects.toBeInstanceOf(ModelIntegrityError);
    await expect(obtainModelBytes(p, wrong, 'The 17-byte model', { expectedSha256: 'abc' })).rejects.toThrow(new RangeError('expectedSha256 must be 64 hexadecimal digits, got "abc".'));
  });

  it('serves the cached copy, marked offline, when the server cannot be reached; an HTTP error is still an error', async () => {
    const p = platform();
    served.set('/o.onnx', { body: bytesOf('offline model'), validator: 'etag', version: 1 });
    await load(p, '/o.onnx');
    const down: BytesPlatform = { ...p, fetch: (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch };
    expect(await load(down, '/o.onnx')).toMatchObject({ cacheResult: 'offline', downloaded: 0, hash: sha(bytesOf('offline model')) });
    served.delete('/o.onnx');
    await expect(load(p, '/o.onnx')).rejects.toMatchObject({ name: 'FetchError', status: 404 });
    await expect(load(down, '/never-cached.onnx')).rejects.toBeInstanceOf(FetchError);
  });

  it('evicts the least recently used entries past maxEntries or maxBytes, and the models only they referenced', async () => {
    const p = platform();
    for (const name of ['a', 'b', 'c']) served.set(`/${name}.onnx`, { body: bytesOf(`model ${name} `.repeat(10)), validator: 'etag', version: 1 });
    const limits = { maxEntries: 2 };
    await load(p, '/a.onnx', { cacheLimits: limits });
    await load(p, '/b.onnx', { cacheLimits: limits });
    await load(p, '/a.onnx', { cacheLimits: limits }); // a is now the most recently used
    await load(p, '/c.onnx', { cacheLimits: limits });
    expect((await p.cache!.entries()).map((e) => e.url.slice(base.length)).sort()).toEqual(['/a.onnx', '/c.onnx']);
    expect(stored(p.dir)).toEqual([sha(bytesOf('model a '.repeat(10))), sha(bytesOf('model c '.repeat(10)))].map((h) => `${h}.onnx`).sort());
    // 80 bytes each: a 100-byte bound keeps only the model just loaded.
    await load(p, '/b.onnx', { cacheLimits: { maxBytes: 100 } });
    expect((await p.cache!.entries()).map((e) => e.url.slice(base.length))).toEqual(['/b.onnx']);
    expect(stored(p.dir)).toEqual([`${sha(bytesOf('model b '.repeat(10)))}.onnx`]);
    await expect(load(p, '/b.onnx', { cacheLimits: { maxEntries: 0 } })).rejects.toThrow(new RangeError('cacheLimits.maxEntries must be a positive integer, got 0.'));
  });

  it('reads the first version of the URL index ({ url: hash }) and revalidates its entries unconditionally', async () => {
    const p = platform();
    const old = bytesOf('cached by an older runtime');
    mkdirSync(join(p.dir, 'sha256'), { recursive: true });
    writeFileSync(join(p.dir, 'sha256', `${sha(old)}.onnx`), old);
    writeFileSync(join(p.dir, 'urls.json'), JSON.stringify({ [`${base}/old.onnx`]: sha(old) }));
    expect(await p.cache!.entry(`${base}/old.onnx`)).toEqual({ url: `${base}/old.onnx`, hash: sha(old), bytes: old.length, usedAt: 0 });
    served.set('/old.onnx', { body: old, validator: 'etag', version: 1 });
    expect(await load(p, '/old.onnx')).toMatchObject({ cacheResult: 'miss', hash: sha(old) });
    const index = JSON.parse(readFileSync(join(p.dir, 'urls.json'), 'utf8')) as { schemaVersion: number; entries: Record<string, { etag: string }> };
    expect(index.schemaVersion).toBe(2);
    expect(index.entries[`${base}/old.onnx`]!.etag).toBe('"v1"');
  });
});
