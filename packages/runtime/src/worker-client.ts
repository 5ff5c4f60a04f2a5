/**
 * The page side of running the runtime in a Web Worker: `createWorkerClassifier(worker)` gives the
 * same loadModel / classify / classifyBatch / dispose API, with every call a message to a worker that
 * imports `@onebit/runtime/worker`. Each loadModel gets a fresh model id that all of its handle's
 * messages carry, so a handle only ever reaches its own session; dispose is explicit and idempotent,
 * and a disposed handle refuses classify with ModelDisposedError. Images are turned into pixels on the
 * page (an <img> cannot cross to a worker) and copied over; everything else happens in the worker.
 */
import { DEFAULT_MAX_IMAGE_PIXELS } from '@onebit/core';
import { baseUrl } from './base-url.js';
import { browserPixels, type BrowserImage } from './browser-image.js';
import { ModelDisposedError } from './errors.js';
import { deserializeError, type WorkerLoadOptions, type WorkerRequest, type WorkerResponse } from './worker-protocol.js';
import type { Classification, ClassifyOptions, LoadOptions, Model, ModelInfo, ProgressCallback, RgbImage } from './types.js';
import type { ModelSource } from './load.js';

/** What the client talks to: a Worker, or any port with the same postMessage/onmessage (a MessagePort in tests). */
export interface ClassifierPort {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror?: ((event: ErrorEvent) => void) | null;
  terminate?(): void;
}

export interface WorkerClassifier {
  /**
   * loadModel, run in the worker; resolves to a model whose calls go to the worker. Each call loads
   * a model of its own (the worker holds every model until its dispose): dispose the ones you no
   * longer use.
   */
  loadModel(source: ModelSource, options?: LoadOptions & { readonly wasmPaths?: string }): Promise<Model<BrowserImage>>;
  /** Stops the worker; pending calls reject. */
  terminate(): void;
}

interface Pending { resolve(value: unknown): void; reject(error: Error): void; onProgress?: ProgressCallback }

type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** Wraps `worker` (or starts a module worker from `url`) that imports `@onebit/runtime/worker`. */
export function createWorkerClassifier(worker: ClassifierPort | string | URL): WorkerClassifier {
  const w: ClassifierPort = typeof worker === 'string' || worker instanceof URL ? new Worker(worker, { type: 'module' }) : worker;
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let nextModelId = 1;
  let dead: Error | undefined;
  const failAll = (error: Error): void => {
    dead = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  w.onmessage = (event: MessageEvent<WorkerResponse>) => {
    const m = event.data;
    const p = pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') p.onProgress?.(m.received, m.total);
    else {
      pending.delete(m.id);
      if (m.type === 'result') p.resolve(m.value);
      else p.reject(deserializeError(m.error));
    }
  };
  w.onerror = (event) => failAll(new Error(`The classifier worker failed: ${event.message || 'it could not start (check its URL and that it is a module worker)'}.`));
  const call = <T>(body: RequestBody, transfer: Transferable[] = [], onProgress?: ProgressCallback): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (dead) {
        reject(dead);
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, ...(onProgress ? { onProgress } : {}) });
      w.postMessage({ ...body, id } as WorkerRequest, transfer);
    });

  return {
    async loadModel(source, options = {}) {
      const { onProgress, ...rest } = options;
      const cloneable: WorkerLoadOptions = rest;
      let wire: string | ArrayBuffer;
      if (source instanceof Uint8Array) wire = source.slice().buffer;
      else if (source instanceof ArrayBuffer) wire = source.slice(0);
      else wire = new URL(String(source), baseUrl()).href; // the worker's base URL is its script
      const modelId = nextModelId++;
      const info = await call<ModelInfo>({ type: 'load', modelId, source: wire, options: cloneable }, typeof wire === 'string' ? [] : [wire], onProgress);
      let disposed: Promise<void> | undefined;
      const classifyBatch = async (images: readonly BrowserImage[], o: ClassifyOptions = {}): Promise<Classification[][]> => {
        if (disposed) throw new ModelDisposedError(`Model ${modelId} (${info.sha256.slice(0, 12)}…) was disposed; load it again to classify with it.`, modelId);
        const pixels: RgbImage[] = [];
        for (const image of images) {
          const p = await browserPixels(image, options.maxImagePixels ?? DEFAULT_MAX_IMAGE_PIXELS);
          pixels.push({ width: p.width, height: p.height, data: new Uint8Array(p.data), ...(p.channels ? { channels: p.channels } : {}) });
        }
        return call<Classification[][]>({ type: 'classify', modelId, images: pixels, ...(o.topK === undefined ? {} : { topK: o.topK }) }, pixels.map((p) => p.data.buffer as ArrayBuffer));
      };
      return {
        info,
        classifyBatch,
        classify: async (image, o) => (await classifyBatch([image], o))[0]!,
        dispose: () => (disposed ??= call<void>({ type: 'dispose', modelId })),
      };
    },
    terminate() {
      w.terminate?.();
      failAll(new Error('The classifier worker was terminated.'));
    },
  };
}
