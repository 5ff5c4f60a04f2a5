/**
 * The onebit engine (@onebit/engine: WebAssembly SIMD, packed 1-bit weights kept at one bit) as a
 * runtime session, and the choice between it and onnxruntime: `auto` (the default) takes the engine
 * when it supports every op of the model and onnxruntime otherwise; `engine` and `onnxruntime`
 * force one.
 */
import { loadEngine, UnsupportedOpError } from '@onebit/engine';
import type { Session } from './session.js';

/** Which runtime runs a loaded model. */
export type BackendChoice = 'auto' | 'engine' | 'onnxruntime';

export const ENGINE_BACKEND_NAME = 'onebit engine (WebAssembly SIMD, 1 thread)';

/** The engine's session for `onnx`, with its measured WebAssembly memory in bytes. */
export interface EngineSession {
  readonly session: Session;
  readonly wasmMemoryBytes: number;
}

/**
 * Loads `onnx` into the engine. Returns undefined when the engine lacks an op of the model and
 * `choice` is `auto` (the caller then uses onnxruntime).
 * @throws UnsupportedOpError when `choice` is `engine` and the engine lacks an op; any other load error.
 */
export function engineSession(onnx: Uint8Array, choice: 'auto' | 'engine'): EngineSession | undefined {
  let engine;
  try {
    engine = loadEngine(onnx);
  } catch (e) {
    if (e instanceof UnsupportedOpError && choice === 'auto') return undefined;
    throw e;
  }
  const outputName = engine.outputNames[0]!;
  return {
    wasmMemoryBytes: engine.memory.wasmMemory,
    session: {
      inputNames: [engine.inputName],
      outputNames: [outputName],
      async run(input, dims) {
        return engine.run(input, dims)[0]!.data;
      },
      async release() {},
    },
  };
}
