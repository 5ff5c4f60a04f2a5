/**
 * Multi-threaded binary convolution: the engine's memory is a shared WebAssembly.Memory, every
 * thread has its own instance of the kernels on it, and each binary Conv's output rows are split
 * into one contiguous block per thread (each with its own table and accumulator scratch), so every
 * output value is computed by exactly the same arithmetic as on one thread. The calling thread
 * takes the first block and waits (Atomics.wait) for the others, which wait for work on a control
 * block of int32s in the shared memory. Atomics.wait is not allowed on a browser's main thread:
 * run a threaded engine in a Web Worker (as the web app does) or in Node.
 */
import type { EngineKernels } from './wasm.js';

/** Most threads an engine may use. */
export const MAX_THREADS = 16;
/** Number of convBinary arguments before tab, acc, oy0, oy1. */
const CONV_ARGS = 19;
// Control block layout (int32 indices).
const GEN = 0;
const DONE = 1;
const READY = 2;
const STOP = 3;
const ARGS = 4;
const TAB = 32;
const ACC = TAB + MAX_THREADS;
const ROW0 = ACC + MAX_THREADS;
const ROW1 = ROW0 + MAX_THREADS;
/** Bytes of the control block. */
export const CONTROL_BYTES = (ROW1 + MAX_THREADS) * 4;

/** What a worker thread needs to start (posted to it as its first message). */
export interface ThreadInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** Byte address of the control block in `memory`. */
  readonly control: number;
  /** This thread's index, 1 … threads − 1 (0 is the calling thread). */
  readonly index: number;
}

/** The part of a Worker (Web Worker or Node worker_threads) the engine uses. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

/**
 * Runs a worker thread's loop: waits for work, computes its block of rows, counts itself done;
 * returns when the engine is disposed. Called by thread-worker.ts with the first message.
 */
export function threadLoop(init: ThreadInit, kernels: EngineKernels): void {
  const c = new Int32Array(init.memory.buffer, init.control, CONTROL_BYTES / 4);
  const t = init.index;
  let seen = Atomics.load(c, GEN);
  Atomics.add(c, READY, 1);
  Atomics.notify(c, READY);
  for (;;) {
    Atomics.wait(c, GEN, seen);
    seen = Atomics.load(c, GEN);
    if (Atomics.load(c, STOP)) return;
    const a = Array.from(c.subarray(ARGS, ARGS + CONV_ARGS)) as Parameters<EngineKernels['convBinary']>;
    a.push(c[TAB + t]!, c[ACC + t]!, c[ROW0 + t]!, c[ROW1 + t]!);
    kernels.convBinary(...a);
    Atomics.add(c, DONE, 1);
    Atomics.notify(c, DONE);
  }
}

/** The calling thread's side: starts workers, hands out row blocks, waits for them. */
export class ConvThreads {
  private readonly c: Int32Array;

  private constructor(readonly threads: number, private readonly kernels: EngineKernels, private readonly workers: WorkerLike[], memory: WebAssembly.Memory, control: number) {
    this.c = new Int32Array(memory.buffer, control, CONTROL_BYTES / 4);
  }

  /**
   * Spawns `threads − 1` workers with `spawn` and resolves once each has instantiated the kernels.
   * @throws Error when the workers are not ready within `timeoutMs`.
   */
  static async start(threads: number, kernels: EngineKernels, module: WebAssembly.Module, control: number, spawn: (index: number) => WorkerLike, timeoutMs = 30_000): Promise<ConvThreads> {
    const memory = kernels.memory;
    const workers: WorkerLike[] = [];
    for (let t = 1; t < threads; t++) {
      const w = spawn(t);
      w.postMessage({ module, memory, control, index: t } satisfies ThreadInit);
      workers.push(w);
    }
    const pool = new ConvThreads(threads, kernels, workers, memory, control);
    const t0 = Date.now();
    while (Atomics.load(pool.c, READY) < threads - 1) {
      if (Date.now() - t0 > timeoutMs) {
        pool.stop();
        throw new Error(`onebit engine: only ${Atomics.load(pool.c, READY)} of ${threads - 1} worker threads started within ${timeoutMs} ms.`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    return pool;
  }

  /** convBinary(args…, tab, acc, oy0, oy1) over rows [0, OH), one block per thread; tabs/accs per thread. */
  convBinary(args: readonly number[], OH: number, tabs: readonly number[], accs: readonly number[]): void {
    const c = this.c;
    const T = this.threads;
    const per = Math.ceil(OH / T);
    for (let i = 0; i < CONV_ARGS; i++) c[ARGS + i] = args[i]!;
    for (let t = 0; t < T; t++) {
      c[TAB + t] = tabs[t]!;
      c[ACC + t] = accs[t]!;
      c[ROW0 + t] = Math.min(OH, t * per);
      c[ROW1 + t] = Math.min(OH, (t + 1) * per);
    }
    Atomics.store(c, DONE, 0);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    const a = [...args, tabs[0]!, accs[0]!, 0, Math.min(OH, per)] as Parameters<EngineKernels['convBinary']>;
    this.kernels.convBinary(...a);
    for (let d = Atomics.load(c, DONE); d < T - 1; d = Atomics.load(c, DONE)) Atomics.wait(c, DONE, d);
  }

  /** Ends the workers' loops and terminates them. */
  stop(): void {
    Atomics.store(this.c, STOP, 1);
    Atomics.add(this.c, GEN, 1);
    Atomics.notify(this.c, GEN);
    for (const w of this.workers) w.terminate();
  }
}
