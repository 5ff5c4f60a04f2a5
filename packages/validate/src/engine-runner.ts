/**
 * The onebit engine runner (@onebit/engine: WebAssembly SIMD, binary weights kept at one bit).
 * Single-threaded: the engine runs the images of a batch one after another in one instance.
 * A model the engine cannot run is a ModelError naming the op, raised before any image runs.
 */
import { ModelError } from '@onebit/core';
import { loadEngine, type Engine } from '@onebit/engine';
import type { Runner } from './runner.js';

export async function createEngineRunner(model: Uint8Array, threads: number): Promise<Runner> {
  void threads; // the engine is single-threaded; its name says so in the report.
  const start = performance.now();
  let engine: Engine;
  try {
    engine = loadEngine(model);
  } catch (e) {
    throw new ModelError(`The onebit engine could not load the ${model.length}-byte model: ${e instanceof Error ? e.message : String(e)}`, undefined, { cause: e });
  }
  const sessionCreationMs = performance.now() - start;
  const outputName = engine.outputNames[0]!;
  const name = 'onebit engine (WebAssembly SIMD, 1 thread)';
  return {
    name, runtime: 'onebit', inputName: engine.inputName, outputName, sessionCreationMs,
    async run(input, dims) {
      try {
        return engine.run(input, dims)[0]!.data;
      } catch (e) {
        throw new ModelError(`${name} failed on input "${engine.inputName}" of shape [${dims.join(', ')}]: ${e instanceof Error ? e.message : String(e)}`, engine.inputName, { cause: e });
      }
    },
    async dispose() {},
  };
}
