/**
 * The one resolver through which onebit finds data and models, in this order:
 *   1. an explicit path given by the user;
 *   2. the asset's environment variable (ONEBIT_<ID>);
 *   3. the shared folder (ONEBIT_SHARED, or `shared/` beside the repository);
 *   4. the download cache (ONEBIT_CACHE, default ~/.cache/onebit), filling it from the official
 *      URL unless ONEBIT_OFFLINE=1 (tests run offline: nothing is fetched at test time).
 * Downloads go to a temporary file and are renamed into place only when complete.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { OnebitError } from '@onebit/core';
import { ASSETS, assetEnvVar, type AssetSpec } from './assets.js';
import { findSharedDir } from './shared-dir.js';

export class AssetNotFoundError extends OnebitError {}

export interface ResolveOptions {
  /** A path the user gave; used as-is when present. */
  readonly path?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Called while downloading with bytes received and the total when known. */
  readonly onDownloadProgress?: (received: number, total: number | undefined) => void;
  /** Called once when a download starts, with the URL. */
  readonly onDownloadStart?: (url: string) => void;
}

export interface ResolvedAsset {
  readonly path: string;
  readonly source: 'explicit' | 'env' | 'shared' | 'cache' | 'download';
}

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env['ONEBIT_CACHE'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'onebit'));
}

/** Resolves without touching the network; undefined if a download would be needed. */
export function resolveAssetLocal(id: string, options: ResolveOptions = {}): ResolvedAsset | undefined {
  const env = options.env ?? process.env;
  if (options.path) {
    if (!existsSync(options.path)) throw new AssetNotFoundError(`The file ${options.path} does not exist.`);
    return { path: resolve(options.path), source: 'explicit' };
  }
  const spec = assetSpec(id);
  const fromEnv = env[assetEnvVar(id)];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new AssetNotFoundError(`${assetEnvVar(id)} points at ${fromEnv}, which does not exist.`);
    return { path: resolve(fromEnv), source: 'env' };
  }
  const shared = findSharedDir(env);
  if (shared && spec.sharedPath && existsSync(join(shared, spec.sharedPath))) return { path: join(shared, spec.sharedPath), source: 'shared' };
  const cached = join(cacheDir(env), spec.cacheName);
  if (existsSync(cached)) return { path: cached, source: 'cache' };
  return undefined;
}

export async function resolveAsset(id: string, options: ResolveOptions = {}): Promise<ResolvedAsset> {
  const local = resolveAssetLocal(id, options);
  if (local) return local;
  const env = options.env ?? process.env;
  const spec = assetSpec(id);
  const where = `set ${assetEnvVar(id)}=<path>, or put the shared folder beside the repository (or set ONEBIT_SHARED)`;
  if (!spec.url) throw new AssetNotFoundError(`${spec.description} (${id}) was not found and has no download URL; ${where}.`);
  if (env['ONEBIT_OFFLINE'] === '1') throw new AssetNotFoundError(`${spec.description} (${id}) was not found locally and ONEBIT_OFFLINE=1 forbids downloading ${spec.url}; ${where}.`);
  const dir = cacheDir(env);
  mkdirSync(dir, { recursive: true });
  const target = join(dir, spec.cacheName);
  await download(spec, target, options);
  return { path: target, source: 'download' };
}

function assetSpec(id: string): AssetSpec {
  const spec = ASSETS[id];
  if (!spec) throw new RangeError(`Unknown asset '${id}'; known assets: ${Object.keys(ASSETS).join(', ')}.`);
  return spec;
}

async function download(spec: AssetSpec, target: string, options: ResolveOptions): Promise<void> {
  const url = spec.url!;
  options.onDownloadStart?.(url);
  const response = await fetch(url).catch((cause: unknown) => {
    throw new AssetNotFoundError(`Downloading ${url} failed (${cause instanceof Error ? cause.message : String(cause)}).`, { cause });
  });
  if (!response.ok || !response.body) throw new AssetNotFoundError(`Downloading ${url} failed with HTTP ${response.status}.`);
  const total = Number(response.headers.get('content-length')) || undefined;
  let received = 0;
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    received += chunk.length;
    options.onDownloadProgress?.(received, total);
  });
  const partial = `${target}.${process.pid}.partial`;
  try {
    if (spec.archiveMember) {
      const extractDir = `${partial}.d`;
      mkdirSync(extractDir, { recursive: true });
      try {
        await pipeline(body, tar.x({ cwd: extractDir, strict: true, filter: (p) => p === spec.archiveMember }));
        const member = join(extractDir, spec.archiveMember);
        if (!existsSync(member)) throw new AssetNotFoundError(`The archive ${url} has no member ${spec.archiveMember}.`);
        renameSync(member, target);
      } finally {
        rmSync(extractDir, { recursive: true, force: true });
      }
    } else {
      await pipeline(body, createWriteStream(partial));
      renameSync(partial, target);
    }
  } finally {
    rmSync(partial, { force: true });
  }
}
