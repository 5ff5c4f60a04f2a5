/**
 * The entry of an engine worker thread (`@onebit/engine/thread-worker`): instantiates the shared
 * kernels on the engine's memory and runs threads.ts's loop. In a Web Worker it starts by itself on
 * the first message; in Node, spawn it with worker_threads and call startThread with the first
 * message (see Engine.startThreads).
 */
import { threadLoop, type ThreadInit } from './threads.js';
import { instantiateKernels } from './wasm.js';

/** Starts this worker's loop on `init` (the engine's first message); returns when the engine is disposed. */
export function startThread(init: ThreadInit): void {
  threadLoop(init, instantiateKernels(init.memory, init.module));
}

interface WorkerScope { onmessage: ((e: { data: ThreadInit }) => void) | null }
// A Web Worker (classic or module) has WorkerGlobalScope; Node's worker_threads does not.
if ('WorkerGlobalScope' in globalThis) (globalThis as unknown as WorkerScope).onmessage = (e) => startThread(e.data);
