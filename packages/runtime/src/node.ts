/**
 * @onebit/runtime for Node (the package's `node` export condition): loadModel over onnxruntime-node
 * (native CPU), images as encoded bytes or raw pixels, models from a path, an http(s) URL (streamed,
 * cached on disk by content hash) or bytes. The only Node module that imports onnxruntime.
 */
import { readFile, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import type * as Ort from 'onnxruntime-node';
import { ModelLoadError } from './errors.js';
import { fileCache } from './file-cache.js';
import { loadWith, type ModelSource, type Platform } from './load.js';
import { decodeNodeImage, type NodeImage } from './node-image.js';
import { importPeer } from './peer-import.js';
import { imageToInputWith } from './image-input.js';
import type { Backend, Session } from './session.js';
import type { LoadOptions, Model, ProgressCallback } from './types.js';

export * from './errors.js';
export * from './class-names.js';
export type * from './types.js';
export type { ModelSource } from './load.js';
export type { CacheLimits } from './model-cache.js';
export type { NodeImage } from './node-image.js';
export type { PreprocessParams, PreprocessSpec } from './preprocess.js';
export { sha256Hex } from './content-hash.js';
export type { ImageInputOptions } from './image-input.js';
export { defaultCacheDir } from './file-cache.js';
/** Error transport for programs that run the runtime in their own worker threads (e.g. apps/server). */
export { serializeError, deserializeError, type SerializedError } from './worker-protocol.js';
export { resizeBilinearPillow, toPlanes, preprocessNames, DEFAULT_MAX_IMAGE_PIXELS, LimitError } from '@onebit/core';

export interface NodeLoadOptions extends LoadOptions {
  /** Directory of the content-hash cache for URL downloads (default: see defaultCacheDir). */
  readonly cacheDir?: string;
}

export type NodeModel = Model<NodeImage>;

const DEFAULT_THREADS = 2;

/** onnxruntime-node, imported on the first session (an optional peer dependency: browsers never need it). */
let ort: typeof Ort | undefined;
/** The float32 C×H×W input an image gives under a preprocessing and input shape: exactly what classify feeds the model. */
export const imageToInput = imageToInputWith(decodeNodeImage);

async function createSession(bytes: Uint8Array, threads: number | undefined): Promise<Session> {
  ort ??= await importPeer('onnxruntime-node', 'Running a model in Node', () => import('onnxruntime-node'));
  const { Tensor } = ort;
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: threads ?? DEFAULT_THREADS,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all', // folds the packed-bit decode subgraphs into float weights once
    executionProviders: ['cpu'],
    // No spinning intra-op threads: on small machines they steal the cores other work needs.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(input, dims) {
      const feeds = { [session.inputNames[0]!]: new Tensor('float32', input, dims) };
      const result = await session.run(feeds);
      const out = result[session.outputNames[0]!]!;
      return out.data as Float32Array;
    },
    release: () => session.release(),
  };
}

const backend: Backend<NodeImage> = {
  get name() {
    return `onnxruntime-node ${ort?.env.versions.node ?? ''}`.trim();
  },
  createSession,
  toPixels: decodeNodeImage,
};

async function readLocal(path: string, onProgress?: ProgressCallback): Promise<Uint8Array> {
  if (!onProgress) return new Uint8Array(await readFile(path));
  const total = (await stat(path)).size;
  const chunks: Buffer[] = [];
  let received = 0;
  onProgress(0, total);
  for await (const chunk of createReadStream(path)) {
    chunks.push(chunk as Buffer);
    received += (chunk as Buffer).length;
    onProgress(received, total);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Loads a model from a path, an http(s) URL or bytes; see LoadOptions and NodeLoadOptions. */
export function loadModel(source: ModelSource, options: NodeLoadOptions = {}): Promise<NodeModel> {
  const platform: Platform<NodeImage> = {
    backend,
    cache: fileCache(options.cacheDir),
    urlOf: (s) => (s instanceof URL ? (s.protocol === 'file:' ? undefined : s.href) : /^https?:\/\//i.test(s) ? s : undefined),
    readLocal: async (path, onProgress) => {
      try {
        return await readLocal(path, onProgress);
      } catch (cause) {
        throw new ModelLoadError(`The model file ${path} could not be read: ${cause instanceof Error ? cause.message : String(cause)}.`, undefined, { cause });
      }
    },
  };
  const local = source instanceof URL && source.protocol === 'file:' ? decodeURIComponent(source.pathname) : source;
  return loadWith(platform, local, options);
}
