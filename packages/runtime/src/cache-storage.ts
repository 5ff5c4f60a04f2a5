/**
 * The browser model cache on Cache Storage (available in secure contexts: https and localhost):
 * models under `https://cache.onebit.invalid/sha256/<hash>`, one entry per URL as a small JSON body
 * (`{ hash, bytes, etag?, lastModified?, usedAt }`; the first version's plain-hash body is still
 * read) under `https://cache.onebit.invalid/url/<encoded url>`. The `.invalid` host keeps the keys
 * from colliding with any real request. Undefined when the context has no Cache Storage.
 */
import { isSha256Hex } from './content-hash.js';
import type { CacheEntry, ModelCache } from './model-cache.js';

export const CACHE_NAME = 'onebit-models-v1';
const KEY_BASE = 'https://cache.onebit.invalid';
const MODEL_PREFIX = `${KEY_BASE}/sha256/`;
const URL_PREFIX = `${KEY_BASE}/url/`;

/** An entry body; a version-1 body (the bare hash) gets bytes 0 here, filled in from the model's size by the caller. */
function parseEntry(url: string, body: string): CacheEntry | undefined {
  const text = body.trim();
  if (isSha256Hex(text)) return { url, hash: text, bytes: 0, usedAt: 0 };
  try {
    const e = JSON.parse(text) as Partial<CacheEntry>;
    if (typeof e.hash !== 'string' || !isSha256Hex(e.hash) || !Number.isSafeInteger(e.bytes) || !Number.isFinite(e.usedAt)) return undefined;
    return { url, hash: e.hash, bytes: e.bytes!, usedAt: e.usedAt!, ...(typeof e.etag === 'string' ? { etag: e.etag } : {}), ...(typeof e.lastModified === 'string' ? { lastModified: e.lastModified } : {}) };
  } catch {
    return undefined;
  }
}

export function cacheStorage(name: string = CACHE_NAME): ModelCache | undefined {
  const storage = (globalThis as { caches?: CacheStorage }).caches;
  if (!storage) return undefined;
  const open = (): Promise<Cache> => storage.open(name);
  const modelKey = (hash: string): string => {
    if (!isSha256Hex(hash)) throw new RangeError(`"${hash}" is not a SHA-256 hex digest.`);
    return `${MODEL_PREFIX}${hash}`;
  };
  const urlKey = (url: string): string => `${URL_PREFIX}${encodeURIComponent(url)}`;
  const sizeOf = async (cache: Cache, hash: string): Promise<number> => Number((await cache.match(modelKey(hash)))?.headers.get('content-length') ?? 0) || 0;
  const read = async (cache: Cache, key: string, response: Response | undefined): Promise<CacheEntry | undefined> => {
    if (!response) return undefined;
    const url = decodeURIComponent(key.slice(URL_PREFIX.length));
    const text = await response.text();
    const e = parseEntry(url, text);
    return e && e.bytes === 0 ? { ...e, bytes: await sizeOf(cache, e.hash) } : e;
  };
  return {
    async get(hash) {
      const hit = await (await open()).match(modelKey(hash));
      return hit ? new Uint8Array(await hit.arrayBuffer()) : undefined;
    },
    async put(hash, bytes) {
      const headers = { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) };
      await (await open()).put(modelKey(hash), new Response(bytes as Uint8Array<ArrayBuffer>, { headers }));
    },
    async deleteModel(hash) {
      await (await open()).delete(modelKey(hash));
    },
    async hashes() {
      return (await (await open()).keys()).map((r) => r.url).filter((u) => u.startsWith(MODEL_PREFIX)).map((u) => u.slice(MODEL_PREFIX.length)).filter(isSha256Hex);
    },
    async entry(url) {
      const cache = await open();
      return read(cache, urlKey(url), await cache.match(urlKey(url)));
    },
    async entries() {
      const cache = await open();
      const out: CacheEntry[] = [];
      for (const request of await cache.keys()) {
        if (!request.url.startsWith(URL_PREFIX)) continue;
        const e = await read(cache, request.url, await cache.match(request));
        if (e) out.push(e);
      }
      return out;
    },
    async setEntry({ url, ...e }) {
      await (await open()).put(urlKey(url), new Response(JSON.stringify(e), { headers: { 'content-type': 'application/json' } }));
    },
    async deleteEntry(url) {
      await (await open()).delete(urlKey(url));
    },
  };
}
