/**
 * The browser model cache (cache-storage.ts) on a fake Cache API in Node, so it is tested beyond the
 * Chromium e2e: the store's contract (bytes by hash, JSON URL entries, the first version's bare-hash
 * entries, deletion), and through obtainModelBytes what the web app relies on — a model pinned by
 * expectedSha256 is served from the cache without a request, a cached copy of other bytes (an
 * older deploy) is not used and is replaced, served bytes of the wrong hash are refused and not
 * stored, and entries past cacheLimits are evicted with their models.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CACHE_NAME, cacheStorage } from './cache-storage.js';
import { ModelIntegrityError } from './errors.js';
import { obtainModelBytes, type BytesPlatform } from './model-bytes.js';
import type { ModelCache } from './model-cache.js';
import type { LoadOptions } from './types.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);
const keyOf = (request: RequestInfo | URL): string => (typeof request === 'string' ? request : request instanceof URL ? request.href : request.url);

/** A Cache of the Cache API, in memory: responses stored as bytes and headers, returned as fresh Responses. */
class FakeCache {
  readonly store = new Map<string, { body: Uint8Array; headers: [string, string][] }>();
  async match(request: RequestInfo | URL): Promise<Response | undefined> {
    const e = this.store.get(keyOf(request));
    return e ? new Response(e.body.slice() as Uint8Array<ArrayBuffer>, { headers: e.headers }) : undefined;
  }
  async put(request: RequestInfo | URL, response: Response): Promise<void> {
    this.store.set(keyOf(request), { body: new Uint8Array(await response.arrayBuffer()), headers: [...response.headers] });
  }
  async delete(request: RequestInfo | URL): Promise<boolean> {
    return this.store.delete(keyOf(request));
  }
  async keys(): Promise<Request[]> {
    return [...this.store.keys()].map((url) => new Request(url));
  }
}

let caches: Map<string, FakeCache>;
beforeEach(() => {
  caches = new Map();
  (globalThis as { caches?: unknown }).caches = { open: async (name: string) => caches.get(name) ?? caches.set(name, new FakeCache()).get(name)! };
});
afterEach(() => {
  delete (globalThis as { caches?: unknown }).caches;
});

/** A server of `served` (path → bytes, ETag "v<version>"), answering 304 to a matching If-None-Match; counts requests. */
function fakeServer(): { served: Map<string, { body: Uint8Array; version: number }>; requests: string[]; fetch: typeof fetch } {
  const served = new Map<string, { body: Uint8Array; version: number }>();
  const requests: string[] = [];
  const fake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = keyOf(input);
    requests.push(url);
    const s = served.get(new URL(url).pathname);
    if (!s) return new Response(null, { status: 404 });
    const etag = `"v${s.version}"`;
    if (new Headers(init?.headers).get('if-none-match') === etag) return new Response(null, { status: 304, headers: { etag } });
    return new Response(s.body.slice() as Uint8Array<ArrayBuffer>, { headers: { etag, 'content-length': String(s.body.length) } });
  };
  return { served, requests, fetch: fake as typeof fetch };
}

const BASE = 'https://app.example/';
async function load(p: BytesPlatform, path: string, options: LoadOptions = {}) {
  const got = await obtainModelBytes(p, `${BASE}${path}`, `The model ${path}`, options);
  await got.commit();
  return got;
}

describe('cacheStorage on the Cache API', () => {
  it('is undefined where there is no Cache Storage', () => {
    delete (globalThis as { caches?: unknown }).caches;
    expect(cacheStorage()).toBeUndefined();
  });

  it('stores bytes by hash and URL entries as JSON; reads a first-version bare-hash entry with the size of its model; deletes both', async () => {
    const store = cacheStorage() as ModelCache;
    const model = bytesOf('model bytes');
    await store.put(sha(model), model);
    expect(Array.from((await store.get(sha(model)))!)).toEqual(Array.from(model));
    expect(await store.get('ab'.repeat(32))).toBeUndefined();
    expect(await store.hashes()).toEqual([sha(model)]);
    const entry = { url: `${BASE}m.onnx`, hash: sha(model), bytes: model.length, etag: '"v1"', usedAt: 1234 };
    await store.setEntry(entry);
    expect(await store.entry(`${BASE}m.onnx`)).toEqual(entry);
    const raw = caches.get(CACHE_NAME)!.store.get(`https://cache.onebit.invalid/url/${encodeURIComponent(`${BASE}m.onnx`)}`)!;
    expect(JSON.parse(new TextDecoder().decode(raw.body))).toEqual({ hash: sha(model), bytes: 11, etag: '"v1"', usedAt: 1234 });
    // The first version stored the bare hash as the body; its size comes from the model's content-length.
    await caches.get(CACHE_NAME)!.put(`https://cache.onebit.invalid/url/${encodeURIComponent(`${BASE}old.onnx`)}`, new Response(sha(model)));
    expect(await store.entry(`${BASE}old.onnx`)).toEqual({ url: `${BASE}old.onnx`, hash: sha(model), bytes: 11, usedAt: 0 });
    expect((await store.entries()).map((e) => e.url)).toEqual([`${BASE}m.onnx`, `${BASE}old.onnx`]);
    await store.deleteEntry(`${BASE}old.onnx`);
    await store.deleteModel(sha(model));
    expect(await store.hashes()).toEqual([]);
    expect((await store.entries()).map((e) => e.url)).toEqual([`${BASE}m.onnx`]);
    await expect(store.get('not-a-hash')).rejects.toThrow(RangeError);
  });
});

describe('the web app\'s load options (expectedSha256, cacheLimits) on Cache Storage', () => {
  const platform = (server: ReturnType<typeof fakeServer>): BytesPlatform => ({ cache: cacheStorage()!, urlOf: (s) => String(s), readLocal: () => Promise.reject(new Error('no paths here')), fetch: server.fetch });

  it('a pinned model is served from the cache without a request; after a redeploy the old cached copy is not used, but replaced and deleted', async () => {
    const server = fakeServer();
    const p = platform(server);
    const v1 = bytesOf('model as built yesterday');
    const v2 = bytesOf('model as built today, retrained');
    server.served.set('/wrn.onnx', { body: v1, version: 1 });
    expect(await load(p, 'wrn.onnx', { expectedSha256: sha(v1) })).toMatchObject({ cacheResult: 'miss', hash: sha(v1) });
    expect(await load(p, 'wrn.onnx', { expectedSha256: sha(v1) })).toMatchObject({ cacheResult: 'pinned', downloaded: 0, hash: sha(v1) });
    expect(server.requests).toHaveLength(1);

    // The new page pins the new build's hash: the cached v1 does not have it, so v2 is downloaded, used and kept alone.
    server.served.set('/wrn.onnx', { body: v2, version: 2 });
    const redeployed = await load(p, 'wrn.onnx', { expectedSha256: sha(v2) });
    expect(redeployed).toMatchObject({ cacheResult: 'miss', downloaded: v2.length, hash: sha(v2) });
    expect(server.requests).toHaveLength(2);
    expect(await p.cache!.hashes()).toEqual([sha(v2)]);
    expect(await p.cache!.entry(`${BASE}wrn.onnx`)).toMatchObject({ hash: sha(v2), etag: '"v2"' });
  });

  it('EXPECTED FAILURE: a server still serving the old bytes to a page pinned to the new hash is a ModelIntegrityError, and nothing is cached', async () => {
    const server = fakeServer();
    const p = platform(server);
    const stale = bytesOf('stale model from a CDN edge');
    server.served.set('/wrn.onnx', { body: stale, version: 1 });
    const pinned = 'cd'.repeat(32);
    const error = await load(p, 'wrn.onnx', { expectedSha256: pinned }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelIntegrityError);
    expect(error).toMatchObject({ expected: pinned, actual: sha(stale) });
    expect(await p.cache!.entries()).toEqual([]);
    expect(await p.cache!.hashes()).toEqual([]);
  });

  it('keeps at most cacheLimits.maxEntries models (the web app passes the number it offers), evicting the least recently used with its bytes', async () => {
    const server = fakeServer();
    const p = platform(server);
    const models = ['wrn', 'plain', 'old'].map((name) => ({ name, body: bytesOf(`${name} model `.repeat(4)) }));
    for (const m of models) server.served.set(`/${m.name}.onnx`, { body: m.body, version: 1 });
    const limits = { maxEntries: 2 };
    // All three loads in one millisecond (as on a fast machine): their order must still decide.
    const now = vi.spyOn(Date, 'now').mockReturnValue(Date.now());
    await load(p, 'old.onnx', { cacheLimits: limits });
    await load(p, 'wrn.onnx', { cacheLimits: limits });
    await load(p, 'plain.onnx', { cacheLimits: limits });
    now.mockRestore();
    expect((await p.cache!.entries()).map((e) => e.url.slice(BASE.length)).sort()).toEqual(['plain.onnx', 'wrn.onnx']);
    expect((await p.cache!.hashes()).sort()).toEqual([sha(models[0]!.body), sha(models[1]!.body)].sort());
  });
});
