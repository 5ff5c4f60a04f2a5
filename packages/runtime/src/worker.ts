/**
 * The Web Worker side of createWorkerClassifier: importing this module inside a module worker
 * (`new Worker(url, { type: 'module' })`) makes the worker answer load / classify / dispose
 * requests (worker-protocol.ts) with the browser entry's loadModel, so decoding, preprocessing and
 * inference stay off the page's main thread. The worker holds one model per load until that
 * model's dispose; see worker-host.ts for the ordering rules.
 */
import { loadModel } from './browser.js';

export { setEngineThreadWorker } from './browser.js';
import { serveModels, type MessageScope } from './worker-host.js';

/** Answers requests arriving at `scope` (the worker's global scope by default). */
export function serveClassifier(scope: MessageScope = globalThis as unknown as MessageScope): void {
  serveModels(scope, (source, options) => loadModel(source, options));
}

const inWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined' && typeof (globalThis as { document?: unknown }).document === 'undefined';
if (inWorker) serveClassifier();
