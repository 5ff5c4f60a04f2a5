/**
 * @onebit/runtime for browsers (the package's `browser` export condition): loadModel over
 * onnxruntime-web's WebAssembly backend, images as ImageData, <img>, canvas, ImageBitmap or a
 * Blob, models streamed from a URL with progress and kept in Cache Storage by content hash. The
 * only browser module that imports onnxruntime. Works in a window and in a (module) Web Worker;
 * see worker.ts and createWorkerClassifier to keep inference off the main thread.
 */
import * as ort from 'onnxruntime-web/wasm';
import { baseUrl } from './base-url.js';
import { browserPixels, type BrowserImage } from './browser-image.js';
import { cacheStorage } from './cache-storage.js';
import { loadWith, type ModelSource } from './load.js';
import type { Backend, Session } from './session.js';
import type { WorkerLike } from '@onebit/engine';
import type { LoadOptions, Model } from './types.js';

export * from './errors.js';
export * from './class-names.js';
export type * from './types.js';
export type { ModelSource } from './load.js';
export type { CacheLimits } from './model-cache.js';
export type { BrowserImage } from './browser-image.js';
export type { PreprocessParams, PreprocessSpec } from './preprocess.js';
export { sha256Hex } from './content-hash.js';
export type { ImageInputOptions } from './image-input.js';
export { imageToInput } from './browser-input.js';
export { CACHE_NAME } from './cache-storage.js';
export { resizeBilinearPillow, toPlanes, preprocessNames, DEFAULT_MAX_IMAGE_PIXELS, LimitError } from '@onebit/core';
export { createWorkerClassifier, type WorkerClassifier, type ClassifierPort } from './worker-client.js';

export interface BrowserLoadOptions extends LoadOptions {
  /**
   * Where onnxruntime-web's `ort-wasm-simd-threaded.{mjs,wasm}` are served from (a URL prefix
   * ending in '/'). Set it to files you serve yourself so nothing comes from a CDN.
   */
  readonly wasmPaths?: string;
}

export type BrowserModel = Model<BrowserImage>;

/** onnxruntime-web's thread count is fixed when its first session starts; this remembers it. */
let configured = false;

function configure(options: BrowserLoadOptions): void {
  if (configured) return;
  configured = true;
  if (options.wasmPaths) ort.env.wasm.wasmPaths = options.wasmPaths;
  // Threads need SharedArrayBuffer, i.e. a cross-origin-isolated page (COOP + COEP headers).
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const cores = (globalThis.navigator?.hardwareConcurrency ?? 1) || 1;
  ort.env.wasm.numThreads = options.threads ?? (isolated ? Math.min(4, cores) : 1);
  ort.env.wasm.proxy = false;
}

async function createSession(bytes: Uint8Array): Promise<Session> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(input, dims) {
      const result = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, dims) });
      const out = result[session.outputNames[0]!]!;
      const data = out.data as Float32Array;
      return data;
    },
    release: () => session.release(),
  };
}

/** How to start one of the engine's thread workers, when the app registered it. */
let spawnEngineThread: (() => WorkerLike) | undefined;

/**
 * Lets the onebit engine run on several threads in this context: `spawn` must return a module
 * Worker running `@onebit/engine/thread-worker` (started by its first message). Threads are used
 * only in a cross-origin-isolated context (SharedArrayBuffer) and off the page's main thread
 * (Atomics.wait), e.g. in the worker of createWorkerClassifier; the count is the threads option, by
 * default min(4, navigator.hardwareConcurrency). Call it before loadModel.
 */
export function setEngineThreadWorker(spawn: () => WorkerLike): void {
  spawnEngineThread = spawn;
}

const backend: Backend<BrowserImage> = {
  name: `onnxruntime-web ${ort.env.versions.web ?? ''} wasm`.replace('  ', ' '),
  createSession,
  engineThreads(requested) {
    const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
    const onMainThread = typeof (globalThis as { document?: unknown }).document !== 'undefined';
    const spawn = spawnEngineThread;
    if (!spawn || !isolated || onMainThread) return undefined;
    const cores = (globalThis.navigator?.hardwareConcurrency ?? 1) || 1;
    return { count: requested ?? Math.min(4, cores), spawn };
  },
  toPixels: browserPixels,
};

/** Loads a model from a URL (relative URLs resolve against the page) or bytes; see BrowserLoadOptions. */
export function loadModel(source: ModelSource, options: BrowserLoadOptions = {}): Promise<BrowserModel> {
  configure(options);
  return loadWith(
    {
      backend,
      cache: cacheStorage(),
      urlOf: (s) => new URL(String(s), baseUrl()).href,
      readLocal: () => Promise.reject(new TypeError('Browsers load models from URLs or bytes, not paths.')),
    },
    source,
    options,
  );
}
