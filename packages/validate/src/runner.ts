/**
 * One interface over the onnxruntime backends, so validation does not know which one runs:
 * `node` (onnxruntime-node, native CPU), `wasm` (onnxruntime-web's WebAssembly backend inside
 * Node), `browser` (onnxruntime-web inside headless Chromium) and `onebit` (@onebit/engine, which
 * runs the packed 1-bit weights from their bits in WebAssembly SIMD). Each backend lives in its own
 * module and is imported only when asked for.
 */
import { assertNotWrongFile } from '@onebit/core';
import { RUNTIMES, type Runner, type RunnerOptions } from './runner-types.js';

export { RUNTIMES, type Runner, type RunnerOptions, type RuntimeName } from './runner-types.js';

/** Creates an inference session for `model` (ONNX bytes) on the chosen runtime. */
export async function createRunner(model: Uint8Array, options: RunnerOptions): Promise<Runner> {
  const threads = options.threads ?? 2;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}.`);
  assertNotWrongFile(model, 'the model');
  switch (options.runtime) {
    case 'node':
      return (await import('./node-runner.js')).createNodeRunner(model, threads);
    case 'wasm':
      return (await import('./wasm-runner.js')).createWasmRunner(model, threads);
    case 'browser':
      return (await import('./browser-runner.js')).createBrowserRunner(model, threads);
    case 'onebit':
      return (await import('./engine-runner.js')).createEngineRunner(model, threads);
    default:
      throw new RangeError(`Unknown runtime "${String(options.runtime)}"; known: ${RUNTIMES.join(', ')}.`);
  }
}
