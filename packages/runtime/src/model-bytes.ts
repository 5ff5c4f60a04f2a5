/**
 * How loadModel gets a model's bytes: from the caller, a local file, or a URL through the model
 * cache. A cached URL is revalidated with a conditional GET (its ETag / Last-Modified; 304 → the
 * cached bytes), except when the caller pinned `expectedSha256` and the cached copy has it (the
 * bytes are content-addressed, so they cannot be stale). The server being unreachable serves the
 * cached copy and says so (`offline`). Whatever the source, the bytes are checked against
 * `expectedSha256` before they are used. A download is stored only once its session loaded, then
 * the cache is evicted to its bounds.
 */
import { sha256Hex, isSha256Hex } from './content-hash.js';
import { FetchError, ModelIntegrityError } from './errors.js';
import { checkCacheLimits, evict, type CacheEntry, type ModelCache, useStamp } from './model-cache.js';
import { fetchModel } from './read-stream.js';
import type { LoadOptions, ModelInfo, ProgressCallback } from './types.js';

/** A URL, a path (Node), or the model bytes themselves. */
export type ModelSource = string | URL | Uint8Array | ArrayBuffer;

/** What the entry supplies: its cache, how URLs resolve, and how local paths are read. */
export interface BytesPlatform {
  readonly cache: ModelCache | undefined;
  /** The absolute URL to fetch for `source`, or undefined when it is a local path. */
  urlOf(source: string | URL): string | undefined;
  /** Reads a local path with progress (Node only). */
  readLocal(path: string, onProgress?: ProgressCallback): Promise<Uint8Array>;
  /** fetch, replaceable in tests. */
  readonly fetch?: typeof fetch;
}

export interface ModelBytes {
  readonly bytes: Uint8Array;
  /** SHA-256 of `bytes`, lower-case hex. */
  readonly hash: string;
  /** Bytes read from the network or disk for this load (0 from the cache). */
  readonly downloaded: number;
  readonly cacheResult: ModelInfo['cacheResult'];
  /** Records a download (or a cache hit's use) in the cache and evicts; call once the model has loaded. Never throws. */
  commit(): Promise<void>;
}

const nothingToCommit = async (): Promise<void> => {};

/** The cached entry of `url` and its bytes when they still hash to the entry's key; undefined otherwise (an unreadable cache is a miss). */
async function cached(cache: ModelCache, url: string): Promise<{ entry: CacheEntry; bytes: Uint8Array } | undefined> {
  try {
    const entry = await cache.entry(url);
    const bytes = entry ? await cache.get(entry.hash) : undefined;
    if (entry && bytes && (await sha256Hex(bytes)) === entry.hash) return { entry, bytes };
  } catch {
    // The cache is an optimisation: an unreadable cache means a fetch, never a failed load.
  }
  return undefined;
}

function normalizeExpected(expected: string | undefined): string | undefined {
  if (expected === undefined) return undefined;
  const lower = expected.toLowerCase();
  if (!isSha256Hex(lower)) throw new RangeError(`expectedSha256 must be 64 hexadecimal digits, got "${expected}".`);
  return lower;
}

/**
 * The bytes of `source` (`name` describes it in messages).
 * @throws ModelIntegrityError when they do not hash to options.expectedSha256; FetchError when a URL cannot be fetched and is not cached; RangeError for a malformed expectedSha256 or cacheLimits.
 */
export async function obtainModelBytes(platform: BytesPlatform, source: ModelSource, name: string, options: LoadOptions): Promise<ModelBytes> {
  const expected = normalizeExpected(options.expectedSha256);
  if (options.cacheLimits) checkCacheLimits(options.cacheLimits);
  const check = async (bytes: Uint8Array): Promise<string> => {
    const hash = await sha256Hex(bytes);
    if (expected !== undefined && hash !== expected) {
      throw new ModelIntegrityError(`${name} has SHA-256 ${hash}, not the expected ${expected}; the bytes served are not the model the caller pinned (update expectedSha256 or the file).`, expected, hash);
    }
    return hash;
  };
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    return { bytes, hash: await check(bytes), downloaded: 0, cacheResult: 'off', commit: nothingToCommit };
  }
  if (typeof source !== 'string' && !(source instanceof URL)) throw new TypeError(`loadModel takes a URL, a path or bytes, not ${Object.prototype.toString.call(source)}.`);
  const url = platform.urlOf(source);
  if (url === undefined) {
    const bytes = await platform.readLocal(String(source), options.onProgress);
    return { bytes, hash: await check(bytes), downloaded: bytes.length, cacheResult: 'off', commit: nothingToCommit };
  }

  const cache = options.cache === false ? undefined : platform.cache;
  const hit = cache && options.cache !== 'reload' ? await cached(cache, url) : undefined;
  const store = (entry: CacheEntry, bytes?: Uint8Array) => async (): Promise<void> => {
    if (!cache) return;
    try {
      if (bytes) await cache.put(entry.hash, bytes);
      await cache.setEntry(entry);
      await evict(cache, options.cacheLimits ?? {}, url);
    } catch {
      // A full or read-only cache leaves the model loaded, just not cached.
    }
  };
  const fromHit = async (h: NonNullable<typeof hit>, cacheResult: ModelBytes['cacheResult']): Promise<ModelBytes> => {
    options.onProgress?.(h.bytes.length, h.bytes.length);
    return { bytes: h.bytes, hash: await check(h.bytes), downloaded: 0, cacheResult, commit: store({ ...h.entry, usedAt: useStamp() }) };
  };
  if (hit && expected !== undefined && hit.entry.hash === expected) return fromHit(hit, 'pinned');

  let got;
  try {
    got = await fetchModel(url, hit ? { ...(hit.entry.etag ? { etag: hit.entry.etag } : {}), ...(hit.entry.lastModified ? { lastModified: hit.entry.lastModified } : {}) } : undefined, options.onProgress, platform.fetch);
  } catch (e) {
    // No answer at all (offline, DNS, refused): the cached copy is the best there is, and info says it was not revalidated.
    if (hit && e instanceof FetchError && e.status === undefined) return fromHit(hit, 'offline');
    throw e;
  }
  if (got.notModified) return fromHit(hit!, 'not-modified');
  const hash = await check(got.bytes);
  const entry: CacheEntry = { url, hash, bytes: got.bytes.length, usedAt: useStamp(), ...(got.etag ? { etag: got.etag } : {}), ...(got.lastModified ? { lastModified: got.lastModified } : {}) };
  return { bytes: got.bytes, hash, downloaded: got.bytes.length, cacheResult: cache ? 'miss' : 'off', commit: store(entry, hash === hit?.entry.hash ? undefined : got.bytes) };
}
