/**
 * The onebit engine runner (@onebit/engine: WebAssembly SIMD, binary weights kept at one bit).
 * With threads > 1 the engine splits every binary Conv's output rows across worker_threads on a
 * shared WebAssembly memory (outputs equal single-threaded ones bit for bit); the images of a batch
 * run one after another. A model the engine cannot run is a ModelError naming the op, raised
 * before any image runs.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ModelError } from '@onebit/core';
import { loadEngine, MAX_THREADS, type Engine } from '@onebit/engine';
import type { Runner } from './runner-types.js';

/** A worker_threads Worker running the engine's thread entry (it starts on its first message). */
function spawnEngineThread(): Worker {
  const entry = pathToFileURL(createRequire(import.meta.url).resolve('@onebit/engine/thread-worker')).href;
  const w = new Worker(`require('node:worker_threads').parentPort.once('message', async (m) => (await import(${JSON.stringify(entry)})).startThread(m));`, { eval: true });
  w.unref();
  return w;
}

export async function createEngineRunner(model: Uint8Array, threads: number): Promise<Runner> {
  const start = performance.now();
  const used = Math.min(threads, MAX_THREADS);
  let engine: Engine;
  try {
    engine = loadEngine(model, { threads: used });
  } catch (e) {
    throw new ModelError(`The onebit engine could not load the ${model.length}-byte model: ${e instanceof Error ? e.message : String(e)}`, undefined, { cause: e });
  }
  if (used > 1) await engine.startThreads(spawnEngineThread);
  const sessionCreationMs = performance.now() - start;
  const outputName = engine.outputNames[0]!;
  const name = `onebit engine (WebAssembly SIMD, ${used} thread${used === 1 ? '' : 's'})`;
  return {
    name, runtime: 'onebit', inputName: engine.inputName, outputName, sessionCreationMs,
    async run(input, dims) {
      try {
        return engine.run(input, dims)[0]!.data;
      } catch (e) {
        throw new ModelError(`${name} failed on input "${engine.inputName}" of shape [${dims.join(', ')}]: ${e instanceof Error ? e.message : String(e)}`, engine.inputName, { cause: e });
      }
    },
    async dispose() {
      engine.dispose();
    },
  };
}
