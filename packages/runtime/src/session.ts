/**
 * The two things an entry point supplies to the shared code: an inference session (one float32
 * image input, one logits output) and a way to turn the entry's image types into raw pixels. This
 * keeps onnxruntime-node and onnxruntime-web confined to node.ts and browser.ts.
 */
import type { EngineThreads } from './engine-session.js';
import type { RgbImage } from './types.js';

export interface Session {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs `input` of shape `dims` and returns the first output's float32 values. */
  run(input: Float32Array, dims: readonly number[]): Promise<Float32Array>;
  release(): Promise<void>;
}

export interface Backend<I> {
  /** e.g. `onnxruntime-node 1.30.0`. */
  readonly name: string;
  createSession(bytes: Uint8Array, threads: number | undefined): Promise<Session>;
  /**
   * Threads for the onebit engine, given the threads option (undefined: the entry's default);
   * undefined or a count of 1 runs it on the calling thread.
   */
  engineThreads?(requested: number | undefined): EngineThreads | undefined;
  /** Decodes `image`; refuses more than `maxPixels` pixels with LimitError, before decoding where the format allows. */
  toPixels(image: I, maxPixels: number): Promise<RgbImage>;
}
