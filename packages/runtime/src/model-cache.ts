/**
 * The model cache's shape and its eviction rule, shared by the Node (file-cache.ts) and browser
 * (cache-storage.ts) stores. A store keeps model bytes by SHA-256 and one entry per URL: the hash
 * last fetched from it, the validators (ETag / Last-Modified) to revalidate it with, its size and
 * when it was last used. Eviction keeps the most recently used entries within a count and a byte
 * bound, then deletes every stored model no entry references (the old weights after a redeploy).
 */

/** One URL's cached model. */
export interface CacheEntry {
  readonly url: string;
  /** SHA-256 of the model bytes, lower-case hex (the key of the bytes). */
  readonly hash: string;
  /** Model size in bytes. */
  readonly bytes: number;
  readonly etag?: string;
  readonly lastModified?: string;
  /** Last load that used the entry, ms since the Unix epoch. */
  readonly usedAt: number;
}

let lastUse = 0;

/**
 * The `usedAt` of a load now: Date.now(), but always after the last one stamped in this process,
 * so two loads within one millisecond keep their order for least-recently-used eviction.
 */
export function useStamp(): number {
  lastUse = Math.max(Date.now(), lastUse + 1);
  return lastUse;
}

/** Where a cache keeps model bytes by hash and the URL entries. */
export interface ModelCache {
  /** The bytes stored under `hash`, or undefined. */
  get(hash: string): Promise<Uint8Array | undefined>;
  put(hash: string, bytes: Uint8Array): Promise<void>;
  /** Deletes the bytes under `hash` (nothing when absent). */
  deleteModel(hash: string): Promise<void>;
  /** Every hash with stored bytes. */
  hashes(): Promise<string[]>;
  entry(url: string): Promise<CacheEntry | undefined>;
  entries(): Promise<CacheEntry[]>;
  setEntry(entry: CacheEntry): Promise<void>;
  deleteEntry(url: string): Promise<void>;
}

/** Bounds on what the cache keeps: URL entries and bytes of distinct models. */
export interface CacheLimits {
  readonly maxEntries?: number;
  readonly maxBytes?: number;
}

/** 8 models, 1 GiB: room for a few versions of the largest released models (WRN ImageNet, ~20 MB packed). */
export const DEFAULT_CACHE_LIMITS: Required<CacheLimits> = { maxEntries: 8, maxBytes: 1024 ** 3 };

/**
 * Keeps the entry of `keepUrl` and then the most recently used entries while both bounds hold
 * (bytes counted once per distinct model); deletes the other entries and every stored model no kept
 * entry references.
 * @returns the URLs and hashes deleted.
 */
export async function evict(cache: ModelCache, limits: CacheLimits, keepUrl: string): Promise<{ urls: string[]; hashes: string[] }> {
  const maxEntries = limits.maxEntries ?? DEFAULT_CACHE_LIMITS.maxEntries;
  const maxBytes = limits.maxBytes ?? DEFAULT_CACHE_LIMITS.maxBytes;
  const entries = (await cache.entries()).sort((a, b) => (a.url === keepUrl ? -1 : b.url === keepUrl ? 1 : b.usedAt - a.usedAt));
  const kept = new Set<string>();
  let count = 0;
  let bytes = 0;
  const urls: string[] = [];
  for (const e of entries) {
    const extra = kept.has(e.hash) ? 0 : e.bytes;
    if (e.url === keepUrl || (count < maxEntries && bytes + extra <= maxBytes)) {
      kept.add(e.hash);
      count++;
      bytes += extra;
    } else {
      await cache.deleteEntry(e.url);
      urls.push(e.url);
    }
  }
  const hashes: string[] = [];
  for (const h of await cache.hashes()) {
    if (!kept.has(h)) {
      await cache.deleteModel(h);
      hashes.push(h);
    }
  }
  return { urls, hashes };
}

/** Checks caller-given limits: positive integers (maxBytes may be 0 to keep only the current model). */
export function checkCacheLimits(limits: CacheLimits): void {
  if (limits.maxEntries !== undefined && !(Number.isInteger(limits.maxEntries) && limits.maxEntries >= 1)) throw new RangeError(`cacheLimits.maxEntries must be a positive integer, got ${limits.maxEntries}.`);
  if (limits.maxBytes !== undefined && !(Number.isSafeInteger(limits.maxBytes) && limits.maxBytes >= 0)) throw new RangeError(`cacheLimits.maxBytes must be a non-negative integer, got ${limits.maxBytes}.`);
}
