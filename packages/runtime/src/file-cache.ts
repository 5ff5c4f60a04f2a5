/**
 * The Node model cache: `<dir>/sha256/<hash>.onnx` holds each model once, `<dir>/urls.json` maps
 * URLs to hashes. Files are written to a temporary name and renamed into place, so a crash never
 * leaves a partial model under a valid hash. Default dir: $ONEBIT_RUNTIME_CACHE or
 * ~/.cache/onebit/runtime ($XDG_CACHE_HOME respected).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isSha256Hex, type ModelCache } from './content-hash.js';

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['ONEBIT_RUNTIME_CACHE'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'onebit', 'runtime');
}

async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const partial = `${path}.${process.pid}.${Date.now()}.partial`;
  await writeFile(partial, data);
  await rename(partial, path);
}

export function fileCache(dir: string = defaultCacheDir()): ModelCache {
  const modelPath = (hash: string): string => {
    if (!isSha256Hex(hash)) throw new RangeError(`"${hash}" is not a SHA-256 hex digest.`);
    return join(dir, 'sha256', `${hash}.onnx`);
  };
  const indexPath = join(dir, 'urls.json');
  const readIndex = async (): Promise<Record<string, string>> => {
    try {
      const parsed: unknown = JSON.parse(await readFile(indexPath, 'utf8'));
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
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
    async hashOf(url) {
      const hash = (await readIndex())[url];
      return hash && isSha256Hex(hash) ? hash : undefined;
    },
    async remember(url, hash) {
      await mkdir(dir, { recursive: true });
      const index = await readIndex();
      index[url] = hash;
      await writeAtomic(indexPath, `${JSON.stringify(index, null, 2)}\n`);
    },
  };
}
