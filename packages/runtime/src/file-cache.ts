/**
 * The Node model cache: `<dir>/sha256/<hash>.onnx` holds each model once, `<dir>/urls.json` holds
 * one entry per URL (`{ schemaVersion: 2, entries: { <url>: { hash, bytes, etag?, lastModified?,
 * usedAt } } }`; the first version's `{ <url>: <hash> }` is still read). Files are written to a
 * temporary name and renamed into place, so a crash never leaves a partial model under a valid hash.
 * Default dir: $ONEBIT_RUNTIME_CACHE or ~/.cache/onebit/runtime ($XDG_CACHE_HOME respected).
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isSha256Hex } from './content-hash.js';
import type { CacheEntry, ModelCache } from './model-cache.js';

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['ONEBIT_RUNTIME_CACHE'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'onebit', 'runtime');
}

async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const partial = `${path}.${process.pid}.${Date.now()}.partial`;
  await writeFile(partial, data);
  await rename(partial, path);
}

const INDEX_VERSION = 2;
type StoredEntry = Omit<CacheEntry, 'url'>;

export function fileCache(dir: string = defaultCacheDir()): ModelCache {
  const modelPath = (hash: string): string => {
    if (!isSha256Hex(hash)) throw new RangeError(`"${hash}" is not a SHA-256 hex digest.`);
    return join(dir, 'sha256', `${hash}.onnx`);
  };
  const indexPath = join(dir, 'urls.json');
  const sizeOf = async (hash: string): Promise<number> => {
    try {
      return (await stat(modelPath(hash))).size;
    } catch {
      return 0;
    }
  };
  /** The index; entries that are not well-formed are left out (the cache is an optimisation, never a failed load). */
  const readIndex = async (): Promise<Map<string, StoredEntry>> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(indexPath, 'utf8'));
    } catch {
      return new Map();
    }
    const out = new Map<string, StoredEntry>();
    if (!parsed || typeof parsed !== 'object') return out;
    const p = parsed as { schemaVersion?: unknown; entries?: unknown };
    if (p.schemaVersion === undefined) {
      // Version 1: { url: hash }, no validators or sizes.
      for (const [url, hash] of Object.entries(parsed as Record<string, unknown>)) {
        if (typeof hash === 'string' && isSha256Hex(hash)) out.set(url, { hash, bytes: await sizeOf(hash), usedAt: 0 });
      }
      return out;
    }
    if (p.schemaVersion !== INDEX_VERSION || !p.entries || typeof p.entries !== 'object') return out;
    for (const [url, e] of Object.entries(p.entries as Record<string, Partial<StoredEntry>>)) {
      if (typeof e?.hash === 'string' && isSha256Hex(e.hash) && Number.isSafeInteger(e.bytes) && Number.isFinite(e.usedAt)) {
        out.set(url, { hash: e.hash, bytes: e.bytes!, usedAt: e.usedAt!, ...(typeof e.etag === 'string' ? { etag: e.etag } : {}), ...(typeof e.lastModified === 'string' ? { lastModified: e.lastModified } : {}) });
      }
    }
    return out;
  };
  const writeIndex = async (index: Map<string, StoredEntry>): Promise<void> => {
    await mkdir(dir, { recursive: true });
    await writeAtomic(indexPath, `${JSON.stringify({ schemaVersion: INDEX_VERSION, entries: Object.fromEntries(index) }, null, 2)}\n`);
  };
  return {
    async get(hash) {
      try {
        return new Uint8Array(await readFile(modelPath(hash)));
      } catch {
        return undefined;
      }
    },
    async put(hash, bytes) {
      await mkdir(join(dir, 'sha256'), { recursive: true });
      await writeAtomic(modelPath(hash), bytes);
    },
    async deleteModel(hash) {
      await rm(modelPath(hash), { force: true });
    },
    async hashes() {
      try {
        return (await readdir(join(dir, 'sha256'))).filter((f) => f.endsWith('.onnx') && isSha256Hex(f.slice(0, -5))).map((f) => f.slice(0, -5));
      } catch {
        return [];
      }
    },
    async entry(url) {
      const e = (await readIndex()).get(url);
      return e ? { url, ...e } : undefined;
    },
    async entries() {
      return [...(await readIndex())].map(([url, e]) => ({ url, ...e }));
    },
    async setEntry({ url, ...e }) {
      const index = await readIndex();
      index.set(url, e);
      await writeIndex(index);
    },
    async deleteEntry(url) {
      const index = await readIndex();
      if (index.delete(url)) await writeIndex(index);
    },
  };
}
