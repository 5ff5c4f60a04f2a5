/**
 * One interface over the onnxruntime backends, so validation does not know which one runs:
 * `node` (onnxruntime-node, native CPU), `wasm` (onnxruntime-web's WebAssembly backend inside
 * Node), `browser` (onnxruntime-web inside headless Chromium) and `onebit` (@onebit/engine, which
 * runs the packed 1-bit weights from their bits in WebAssembly SIMD). Each backend lives in its own
 * module and is imported only when asked for.
 */
import { assertNotWrongFile } from '@onebit/core';

export type RuntimeName = 'node' | 'wasm' | 'browser' | 'onebit';

export const RUNTIMES: readonly RuntimeName[] = ['node', 'wasm', 'browser', 'onebit'];

export interface Runner {
  /** Which runtime runs the model, e.g. "onnxruntime-node 1.30.0 (2 threads)". */
  readonly name: string;
  readonly runtime: RuntimeName;
  /** The model's (single) input and its first output. */
  readonly inputName: string;
  readonly outputName: string;
  /**
   * Wall time of creating the inference session, including graph optimisation (ms). For wasm, the
   * first session of a process also includes loading and compiling the WebAssembly module.
   */
  readonly sessionCreationMs: number;
  /** Runs one float32 batch of shape `dims` and returns the first output's data. */
  run(input: Float32Array, dims: number[]): Promise<Float32Array>;
  dispose(): Promise<void>;
}

export interface RunnerOptions {
  runtime: RuntimeName;
  /** Intra-op threads (node) or WebAssembly threads (wasm, browser); default 2. wasm's count is process-global. */
  threads?: number;
}

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
