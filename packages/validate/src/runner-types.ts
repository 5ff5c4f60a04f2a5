/**
 * The interface every backend implements (node, wasm, browser, onebit) and the runtime names.
 * Kept apart from runner.ts, which picks a backend, so the backends depend on this file only and
 * there is no import cycle between runner.ts and them.
 */
import type { PageDownload } from './page-download.js';

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
  /** Chromium runners: what the page downloaded so far (JS, wasm, model; not the image batches). */
  pageDownload?(): Promise<PageDownload>;
  /** Runs one float32 batch of shape `dims` and returns the first output's data. */
  run(input: Float32Array, dims: number[]): Promise<Float32Array>;
  dispose(): Promise<void>;
}

export interface RunnerOptions {
  runtime: RuntimeName;
  /** Intra-op threads (node) or WebAssembly threads (wasm, browser); default 2. wasm's count is process-global. */
  threads?: number;
}
