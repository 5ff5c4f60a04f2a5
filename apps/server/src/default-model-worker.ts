/**
 * The thread that converts the service's default model (default-model.ts) when no --model is
 * given: converting the authors' MATLAB WRN builds ~100 MB of short-lived JavaScript objects, and
 * done on the event loop's thread they stay on its heap until a major collection stalls /healthz
 * (a 30 ms pause under load, measured with --cpu-prof). Here they die with the thread.
 */
import { parentPort } from 'node:worker_threads';
import { serializeError } from '@onebit/runtime';
import { defaultModel } from './default-model.js';

const port = parentPort;
if (!port) throw new Error('default-model-worker.js runs only as a worker thread started by default-model.js.');
try {
  const model = await defaultModel();
  port.postMessage({ type: 'model', model }, [model.model.buffer as ArrayBuffer]);
} catch (e) {
  port.postMessage({ type: 'failed', error: serializeError(e) });
}
