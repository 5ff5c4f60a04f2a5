/**
 * One inference thread of the service (a node:worker_threads Worker started by inference-pool.ts):
 * loads the model given in workerData with @onebit/runtime, then answers each `{ id, image, topK }`
 * message with the top-k classes or a serialised error. Decoding, resizing and inference all run
 * here, so the service's event loop only moves bytes; the thread lowers its own CPU priority first
 * (config.nice) so the event loop's thread wins a core whenever it has work.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { loadModel, serializeError } from '@onebit/runtime';
import type { PoolRequest, PoolResponse, WorkerConfig } from './inference-pool.js';

const port = parentPort;
if (!port) throw new Error('inference-worker.js runs only as a worker thread started by inference-pool.js.');
const config = workerData as WorkerConfig;
const post = (m: PoolResponse): void => port.postMessage(m);

// On Linux the nice value is per thread and setpriority(PRIO_PROCESS, 0) changes only the calling
// thread; threads started afterwards (onnxruntime's intra-op pool) inherit it. Elsewhere the same
// call would lower the whole process, event loop included, so it is Linux only.
if (process.platform === 'linux' && config.nice !== undefined && config.nice > 0) setPriority(config.nice);

try {
  const model = await loadModel(config.model, {
    cache: false,
    threads: config.threads,
    backend: config.backend,
    maxImagePixels: config.maxPixels,
    ...(config.labels ? { labels: config.labels } : {}),
  });
  port.on('message', (request: PoolRequest) => {
    const start = performance.now();
    model.classify(request.image, { topK: request.topK }).then(
      (top) => post({ type: 'result', id: request.id, top, ms: performance.now() - start }),
      (e: unknown) => post({ type: 'error', id: request.id, error: serializeError(e), ms: performance.now() - start }),
    );
  });
  post({ type: 'ready', info: model.info });
} catch (e) {
  post({ type: 'failed', error: serializeError(e) });
}
