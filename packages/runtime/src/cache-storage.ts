/**
 * The browser model cache on Cache Storage (available in secure contexts: https and localhost):
 * models under `https://cache.onebit.invalid/sha256/<hash>`, the URL index as small text entries
 * under `https://cache.onebit.invalid/url/<encoded url>`. The `.invalid` host keeps the keys from
 * colliding with any real request. Undefined when the context has no Cache Storage.
 */
import { isSha256Hex, type ModelCache } from './content-hash.js';

export const CACHE_NAME = 'onebit-models-v1';
const KEY_BASE = 'https://cache.onebit.invalid';

export function cacheStorage(name: string = CACHE_NAME): ModelCache | undefined {
  const storage = (globalThis as { caches?: CacheStorage }).caches;
  if (!storage) return undefined;
  const open = (): Promise<Cache> => storage.open(name);
  const modelKey = (hash: string): string => {
    if (!isSha256Hex(hash)) throw new RangeError(`"${hash}" is not a SHA-256 hex digest.`);
    return `${KEY_BASE}/sha256/${hash}`;
  };
  const urlKey = (url: string): string => `${KEY_BASE}/url/${encodeURIComponent(url)}`;
  return {
    async get(hash) {
      const hit = await (await open()).match(modelKey(hash));
      return hit ? new Uint8Array(await hit.arrayBuffer()) : undefined;
    },
    async put(hash, bytes) {
      const headers = { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) };
      await (await open()).put(modelKey(hash), new Response(bytes as Uint8Array<ArrayBuffer>, { headers }));
    },
    async hashOf(url) {
      const hit = await (await open()).match(urlKey(url));
      const hash = hit ? (await hit.text()).trim() : undefined;
      return hash && isSha256Hex(hash) ? hash : undefined;
    },
    async remember(url, hash) {
      await (await open()).put(urlKey(url), new Response(hash, { headers: { 'content-type': 'text/plain' } }));
    },
  };
}
