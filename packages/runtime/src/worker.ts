/**
 * The Web Worker side of createWorkerClassifier: importing this module inside a module worker
 * (`new Worker(url, { type: 'module' })`) makes the worker answer load / classify / dispose
 * requests with the browser entry's loadModel, so decoding, preprocessing and inference stay off
 * the page's main thread. One model per worker; a new load replaces the old one.
 */
import { loadModel, type BrowserModel } from './browser.js';
import { serializeError, type WorkerRequest, type WorkerResponse } from './worker-protocol.js';

interface MessageScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse, transfer?: Transferable[]): void;
}

/** Answers requests arriving at `scope` (the worker's global scope by default). */
export function serveClassifier(scope: MessageScope = globalThis as unknown as MessageScope): void {
  let model: BrowserModel | undefined;
  const post = (m: WorkerResponse): void => scope.postMessage(m);
  scope.onmessage = (event) => {
    const request = event.data;
    void (async () => {
      try {
        if (request.type === 'load') {
          await model?.dispose();
          model = undefined;
          model = await loadModel(request.source, { ...request.options, onProgress: (received, total) => post({ id: request.id, type: 'progress', received, total }) });
          post({ id: request.id, type: 'result', value: model.info });
        } else if (request.type === 'classify') {
          if (!model) throw new RangeError('classify was called before a model finished loading in the worker.');
          const value = await model.classifyBatch(request.images, request.topK === undefined ? {} : { topK: request.topK });
          post({ id: request.id, type: 'result', value });
        } else {
          await model?.dispose();
          model = undefined;
          post({ id: request.id, type: 'result', value: null });
        }
      } catch (e) {
        post({ id: request.id, type: 'error', error: serializeError(e) });
      }
    })();
  };
}

const inWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined' && typeof (globalThis as { document?: unknown }).document === 'undefined';
if (inWorker) serveClassifier();
