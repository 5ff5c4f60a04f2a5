/**
 * The onnxruntime-web runner with its WebAssembly backend, inside Node. In Node, onnxruntime-web
 * loads `ort-wasm-simd-threaded.{mjs,wasm}` from its own `dist/` folder by itself and runs threads as
 * worker_threads, so no wasmPaths or server is needed. Its thread count is process-global and fixed
 * when the first wasm session initialises the backend; asking for another count later is refused.
 */
import * as ort from 'onnxruntime-web';

import type { Runner } from './runner-types.js';
import { wrapSession } from './session.js';

let initialisedThreads: number | undefined;

export async function createWasmRunner(model: Uint8Array, threads: number): Promise<Runner> {
  if (initialisedThreads !== undefined && initialisedThreads !== threads) {
    throw new RangeError(`onnxruntime-web was initialised with ${initialisedThreads} wasm threads in this process; it cannot switch to ${threads}.`);
  }
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  initialisedThreads = threads;
  const options: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'all', executionProviders: ['wasm'] };
  return wrapSession(model, 'wasm', `onnxruntime-web ${ort.env.versions.web ?? ''} wasm (${threads} thread${threads === 1 ? '' : 's'})`.replace('  ', ' '),
    () => ort.InferenceSession.create(model, options), ort.Tensor);
}
