/**
 * The onebit engine (@onebit/engine: WebAssembly SIMD, packed 1-bit weights kept at one bit) as a
 * runtime session, and the choice between it and onnxruntime: `auto` (the default) takes the engine
 * when it supports every op of the model and onnxruntime otherwise; `engine` and `onnxruntime`
 * force one. With threads (an entry that can start the engine's worker threads, see
 * Backend.engineThreads), every binary Conv is split across them.
 */
import { loadEngine, UnsupportedOpError, type WorkerLike } from '@onebit/engine';
import type { Session } from './session.js';

/** Which runtime runs a loaded model. */
export type BackendChoice = 'auto' | 'engine' | 'onnxruntime';

/** The engine's backend name with its thread count, e.g. `onebit engine (WebAssembly SIMD, 1 thread)`. */
export function engineBackendName(threads: number): string {
  return `onebit engine (WebAssembly SIMD, ${threads} thread${threads === 1 ? '' : 's'})`;
}

/** Threads for the engine: how many, and how to start one (a Worker running @onebit/engine/thread-worker). */
export interface EngineThreads {
  readonly count: number;
  spawn(): WorkerLike;
}

/** The engine's session for `onnx`, with its measured WebAssembly memory in bytes. */
export interface EngineSession {
  readonly session: Session;
  readonly wasmMemoryBytes: number;
  /** Threads running (1 without `threads`). */
  readonly threads: number;
}

/**
 * Loads `onnx` into the engine (on `threads.count` threads when given and above 1). Returns
 * undefined when the engine lacks an op of the model and `choice` is `auto` (the caller then uses
 * onnxruntime).
 * @throws UnsupportedOpError when `choice` is `engine` and the engine lacks an op; any other load
 *   error, including threads that do not start.
 */
export async function engineSession(onnx: Uint8Array, choice: 'auto' | 'engine', threads?: EngineThreads): Promise<EngineSession | undefined> {
  const count = threads && threads.count > 1 ? threads.count : 1;
  let engine;
  try {
    engine = loadEngine(onnx, { threads: count });
  } catch (e) {
    if (e instanceof UnsupportedOpError && choice === 'auto') return undefined;
    throw e;
  }
  if (count > 1) await engine.startThreads(() => threads!.spawn());
  const outputName = engine.outputNames[0]!;
  const running = engine;
  return {
    wasmMemoryBytes: engine.memory.wasmMemory,
    threads: count,
    session: {
      inputNames: [engine.inputName],
      outputNames: [outputName],
      async run(input, dims) {
        return running.run(input, dims)[0]!.data;
      },
      async release() {
        running.dispose();
      },
    },
  };
}
