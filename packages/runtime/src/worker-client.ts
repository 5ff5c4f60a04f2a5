/**
 * The page side of running the runtime in a Web Worker: `createWorkerClassifier(worker)` gives the
 * same loadModel / classify / classifyBatch API, with every call a message to a worker that
 * imports `@onebit/runtime/worker`. Images are turned into pixels on the page (an <img> cannot
 * cross to a worker) and copied over; everything else happens in the worker.
 */
import { DEFAULT_MAX_IMAGE_PIXELS } from '@onebit/core';
import { browserPixels, type BrowserImage } from './browser-image.js';
import { deserializeError, type WorkerLoadOptions, type WorkerRequest, type WorkerResponse } from './worker-protocol.js';
import type { Classification, ClassifyOptions, LoadOptions, Model, ModelInfo, ProgressCallback, RgbImage } from './types.js';
import type { ModelSource } from './load.js';

export interface WorkerClassifier {
  /** loadModel, run in the worker; resolves to a model whose calls go to the worker. */
  loadModel(source: ModelSource, options?: LoadOptions & { readonly wasmPaths?: string }): Promise<Model<BrowserImage>>;
  /** Stops the worker; pending calls reject. */
  terminate(): void;
}

interface Pending { resolve(value: unknown): void; reject(error: Error): void; onProgress?: ProgressCallback }

type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** Wraps `worker` (or starts a module worker from `url`) that imports `@onebit/runtime/worker`. */
export function createWorkerClassifier(worker: Worker | string | URL): WorkerClassifier {
  const w = worker instanceof Worker ? worker : new Worker(worker, { type: 'module' });
  const pending = new Map<number, Pending>();
  let nextId = 1;
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
  w.onerror = (event) => {
    const error = new Error(`The classifier worker failed: ${event.message || 'it could not start (check its URL and that it is a module worker)'}.`);
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const call = <T>(body: RequestBody, transfer: Transferable[] = [], onProgress?: ProgressCallback): Promise<T> =>
    new Promise<T>((resolve, reject) => {
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
      else wire = new URL(String(source), document.baseURI).href; // the worker's base URL is its script
      const info = await call<ModelInfo>({ type: 'load', source: wire, options: cloneable }, typeof wire === 'string' ? [] : [wire], onProgress);
      const classifyBatch = async (images: readonly BrowserImage[], o: ClassifyOptions = {}): Promise<Classification[][]> => {
        const pixels: RgbImage[] = [];
        for (const image of images) {
          const p = await browserPixels(image, options.maxImagePixels ?? DEFAULT_MAX_IMAGE_PIXELS);
          pixels.push({ width: p.width, height: p.height, data: new Uint8Array(p.data), ...(p.channels ? { channels: p.channels } : {}) });
        }
        return call<Classification[][]>({ type: 'classify', images: pixels, ...(o.topK === undefined ? {} : { topK: o.topK }) }, pixels.map((p) => p.data.buffer as ArrayBuffer));
      };
      return {
        info,
        classifyBatch,
        classify: async (image, o) => (await classifyBatch([image], o))[0]!,
        dispose: () => call<void>({ type: 'dispose' }),
      };
    },
    terminate() {
      w.terminate();
      const error = new Error('The classifier worker was terminated.');
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    },
  };
}
