/**
 * Multi-threaded kernels: the engine's memory is a shared WebAssembly.Memory and every thread has
 * its own instance of the kernels on it. The threads of one binary Conv pad its input in blocks of
 * planes, then take its output rows one at a time from a shared counter (Atomics.add), each with
 * its own table and accumulator scratch; the element-wise passes (batch-norm affine, Relu,
 * residual Add, AveragePool, MaxPool) are shared out in blocks of channels or floats the same
 * way. Every output value is computed by exactly the same arithmetic as on one thread, and a
 * thread slowed by other work on its core takes fewer blocks instead of holding the others up
 * (fixed halves left the faster vCPU idle ~10 ms per WRN image on a shared host). The calling
 * thread takes blocks too, then waits for the others, which wait for work on a control block of
 * int32s in the shared memory (each wait spins briefly, then sleeps in Atomics.wait).
 * Atomics.wait is not allowed on a browser's main thread: run a threaded engine in a Web Worker
 * (as the web app does) or in Node.
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
/** The next output row to take, and the Conv's row count. */
const NEXT = ARGS + CONV_ARGS;
const ROWS = NEXT + 1;
/** The job's kind (JOB_*), and for a pass: items per block and items in all (channels or floats). */
const KIND = ROWS + 1;
const PER = KIND + 1;
const TOTAL = PER + 1;
const TAB = 32;
// Job kinds. A pass's arguments are its kernel's, in ARGS…; its blocks are counted by NEXT/ROWS.
const JOB_CONV = 0;
const JOB_AFFINE = 1;
const JOB_ADD = 2;
const JOB_AVG_POOL = 3;
const JOB_MAX_POOL = 4;
/**
 * Floats per block of a pass (64 KiB; a pass over channels takes ⌊PASS_BLOCK / plane⌋ channels, at
 * least 1): small enough to share out, large enough that counting costs nothing.
 */
const PASS_BLOCK = 16384;
const ACC = TAB + MAX_THREADS;
/** padPlanes' arguments for the Conv's padded input (x, C, H, W, pad, Cp, Hp, Wp, pt, pl). */
const PAD = ACC + MAX_THREADS;
const PAD_ARGS = 10;
/** The next block of PAD_BLOCK planes to pad, the number of blocks, and how many are done. */
const PAD_NEXT = PAD + PAD_ARGS;
const PAD_BLOCKS = PAD_NEXT + 1;
const PAD_DONE = PAD_BLOCKS + 1;
/** Bytes of the control block. */
export const CONTROL_BYTES = (PAD_DONE + 1) * 4;
/** Planes per block of the padded copy: small enough to share out, large enough that counting costs nothing. */
const PAD_BLOCK = 8;

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
  const args = c.subarray(ARGS, ARGS + CONV_ARGS);
  let seen = Atomics.load(c, GEN);
  Atomics.add(c, READY, 1);
  Atomics.notify(c, READY);
  for (;;) {
    spinWhile(c, GEN, seen);
    Atomics.wait(c, GEN, seen);
    seen = Atomics.load(c, GEN);
    if (Atomics.load(c, STOP)) return;
    if (c[KIND] === JOB_CONV) padThenTakeRows(kernels, args, c[TAB + t]!, c[ACC + t]!, c);
    else takeBlocks(kernels, c);
    Atomics.add(c, DONE, 1);
    Atomics.notify(c, DONE);
  }
}

/**
 * Loads a waiting thread spins for (~0.1–0.3 ms here) before it sleeps in Atomics.wait: the next
 * Conv usually arrives within that (the calling thread's passes between Convs take ~0.1 ms), and
 * waking from Atomics.wait costs more. WRN-20-10 at 2 threads in Node: 27.9/28.1 images/s
 * sleeping at once vs 28.8–29.1 spinning (bench child, 2026-12-01).
 */
const SPINS = 100_000;

/** Spins while c[i] === v, at most SPINS loads (then the caller sleeps in Atomics.wait). */
function spinWhile(c: Int32Array, i: number, v: number): void {
  for (let n = 0; n < SPINS && Atomics.load(c, i) === v; n++);
}

/** Waits until the counter c[i] (only ever increased, each increase notified) reaches `count`. */
function waitUntil(c: Int32Array, i: number, count: number): void {
  for (let d = Atomics.load(c, i); d < count; d = Atomics.load(c, i)) {
    spinWhile(c, i, d);
    if (Atomics.load(c, i) === d) Atomics.wait(c, i, d);
  }
}

/** Channels per block of a pass over channels of `plane` floats each (at least 1). */
function channelsPerBlock(plane: number): number {
  return Math.max(1, Math.floor(PASS_BLOCK / Math.max(1, plane)));
}

/**
 * convBinary(a…, tab, acc, oy0, oy1) with `a` its first CONV_ARGS arguments, passed one by one (no
 * array spread: nothing allocated per call). The single-threaded Conv and every thread call this.
 */
export function convBinaryRows(k: EngineKernels, a: ArrayLike<number>, tab: number, acc: number, oy0: number, oy1: number): void {
  k.convBinary(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!, a[13]!, a[14]!, a[15]!, a[16]!, a[17]!, a[18]!, tab, acc, oy0, oy1);
}

/**
 * Pads blocks of the Conv's input planes until none are left, waits until every block is padded
 * (rows read planes any thread may have padded), then takes rows.
 */
function padThenTakeRows(k: EngineKernels, a: ArrayLike<number>, tab: number, acc: number, c: Int32Array): void {
  const blocks = c[PAD_BLOCKS]!;
  const C = c[PAD + 1]!;
  const H = c[PAD + 2]!;
  const W = c[PAD + 3]!;
  const Cp = c[PAD + 5]!;
  const Hp = c[PAD + 6]!;
  const Wp = c[PAD + 7]!;
  for (let b = Atomics.add(c, PAD_NEXT, 1); b < blocks; b = Atomics.add(c, PAD_NEXT, 1)) {
    const c0 = b * PAD_BLOCK;
    const c1 = Math.min(Cp, c0 + PAD_BLOCK);
    // Planes c0…c1−1 of Cp: copies of the input's planes below C, zeros from C on.
    k.padPlanes(c[PAD]! + c0 * H * W * 4, Math.max(0, Math.min(c1, C) - c0), H, W, c[PAD + 4]! + c0 * Hp * Wp * 4, c1 - c0, Hp, Wp, c[PAD + 8]!, c[PAD + 9]!);
    if (Atomics.add(c, PAD_DONE, 1) + 1 === blocks) Atomics.notify(c, PAD_DONE);
  }
  waitUntil(c, PAD_DONE, blocks);
  takeRows(k, a, tab, acc, c);
}

/**
 * Runs blocks of the current pass (kind c[KIND], its kernel's arguments in ARGS…) until the shared
 * counter passes the block count: block i covers items [i·PER, min((i+1)·PER, TOTAL)) — channels
 * (affine, pools) or floats (Add, whole multiples of 4 but the last, so every float takes the same
 * vector or scalar path as in one call). Same arithmetic per value as one call over everything.
 */
function takeBlocks(k: EngineKernels, c: Int32Array): void {
  const kind = c[KIND]!;
  const per = c[PER]!;
  const total = c[TOTAL]!;
  const blocks = c[ROWS]!;
  const a = ARGS;
  for (let i = Atomics.add(c, NEXT, 1); i < blocks; i = Atomics.add(c, NEXT, 1)) {
    const i0 = i * per;
    const n = Math.min(total, i0 + per) - i0;
    if (kind === JOB_AFFINE) {
      // channelAffine(x, y, C, inner, a, aStep, b, bStep, relu) over channels [i0, i0 + n)
      const inner = c[a + 3]!;
      const av = c[a + 4]!;
      const bv = c[a + 6]!;
      k.channelAffine(c[a]! + i0 * inner * 4, c[a + 1]! + i0 * inner * 4, n, inner, av ? av + i0 * c[a + 5]! * 4 : 0, c[a + 5]!, bv ? bv + i0 * c[a + 7]! * 4 : 0, c[a + 7]!, c[a + 8]!);
    } else if (kind === JOB_ADD) {
      // addSame(a, b, y, n) over floats [i0, i0 + n)
      k.addSame(c[a]! + i0 * 4, c[a + 1]! + i0 * 4, c[a + 2]! + i0 * 4, n);
    } else {
      // avgPool2d / maxPool2d(x, C, H, W, y, OH, OW, …) over channels [i0, i0 + n)
      const x = c[a]! + i0 * c[a + 2]! * c[a + 3]! * 4;
      const y = c[a + 4]! + i0 * c[a + 5]! * c[a + 6]! * 4;
      if (kind === JOB_AVG_POOL) k.avgPool2d(x, n, c[a + 2]!, c[a + 3]!, y, c[a + 5]!, c[a + 6]!, c[a + 7]!, c[a + 8]!, c[a + 9]!, c[a + 10]!, c[a + 11]!, c[a + 12]!, c[a + 13]!, c[a + 14]!, c[a + 15]!);
      else k.maxPool2d(x, n, c[a + 2]!, c[a + 3]!, y, c[a + 5]!, c[a + 6]!, c[a + 7]!, c[a + 8]!, c[a + 9]!, c[a + 10]!, c[a + 11]!, c[a + 12]!, c[a + 13]!, c[a + 14]!);
    }
  }
}

/**
 * Computes rows of the current Conv (convBinary's first CONV_ARGS arguments `a`) until the shared
 * counter passes its row count, one row per Atomics.add, with this thread's table and accumulator.
 */
function takeRows(k: EngineKernels, a: ArrayLike<number>, tab: number, acc: number, c: Int32Array): void {
  const rows = c[ROWS]!;
  for (let r = Atomics.add(c, NEXT, 1); r < rows; r = Atomics.add(c, NEXT, 1)) convBinaryRows(k, a, tab, acc, r, r + 1);
}

/** The calling thread's side: starts workers, publishes each job (a Conv or a pass), takes blocks with them, waits for them. */
export class KernelThreads {
  private readonly c: Int32Array;

  private constructor(readonly threads: number, private readonly kernels: EngineKernels, private readonly workers: WorkerLike[], memory: WebAssembly.Memory, control: number) {
    this.c = new Int32Array(memory.buffer, control, CONTROL_BYTES / 4);
  }

  /**
   * Spawns `threads − 1` workers with `spawn` and resolves once each has instantiated the kernels.
   * @throws Error when the workers are not ready within `timeoutMs`.
   */
  static async start(threads: number, kernels: EngineKernels, module: WebAssembly.Module, control: number, spawn: (index: number) => WorkerLike, timeoutMs = 30_000): Promise<KernelThreads> {
    const memory = kernels.memory;
    const workers: WorkerLike[] = [];
    for (let t = 1; t < threads; t++) {
      const w = spawn(t);
      w.postMessage({ module, memory, control, index: t } satisfies ThreadInit);
      workers.push(w);
    }
    const pool = new KernelThreads(threads, kernels, workers, memory, control);
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

  /**
   * padPlanes(padArgs…) then convBinary(args…, tab, acc, oy0, oy1) over rows [0, OH), both shared
   * out to all threads (planes in blocks, then rows); tabs/accs per thread.
   */
  convBinary(padArgs: readonly number[], args: readonly number[], OH: number, tabs: readonly number[], accs: readonly number[]): void {
    const c = this.c;
    const T = this.threads;
    for (let i = 0; i < PAD_ARGS; i++) c[PAD + i] = padArgs[i]!;
    c[PAD_BLOCKS] = Math.ceil(padArgs[5]! / PAD_BLOCK);
    Atomics.store(c, PAD_NEXT, 0);
    Atomics.store(c, PAD_DONE, 0);
    for (let i = 0; i < CONV_ARGS; i++) c[ARGS + i] = args[i]!;
    for (let t = 0; t < T; t++) {
      c[TAB + t] = tabs[t]!;
      c[ACC + t] = accs[t]!;
    }
    c[KIND] = JOB_CONV;
    c[ROWS] = OH;
    this.publish();
    padThenTakeRows(this.kernels, args, tabs[0]!, accs[0]!, c);
    this.join();
  }

  /** channelAffine(x, y, C, inner, a, aStep, b, bStep, relu) with its channels shared out. */
  channelAffine(x: number, y: number, C: number, inner: number, a: number, aStep: number, b: number, bStep: number, relu: number): void {
    const c = this.c;
    c[ARGS] = x; c[ARGS + 1] = y; c[ARGS + 3] = inner; c[ARGS + 4] = a; c[ARGS + 5] = aStep; c[ARGS + 6] = b; c[ARGS + 7] = bStep; c[ARGS + 8] = relu;
    this.pass(JOB_AFFINE, C, channelsPerBlock(inner));
  }

  /** addSame(a, b, y, n) with its floats shared out. */
  addSame(a: number, b: number, y: number, n: number): void {
    const c = this.c;
    c[ARGS] = a; c[ARGS + 1] = b; c[ARGS + 2] = y;
    this.pass(JOB_ADD, n, PASS_BLOCK);
  }

  /**
   * avgPool2d (`max` false) or maxPool2d (`max` true) with their arguments `args` (x, C, H, W, y, OH,
   * OW, then the rest of that kernel's) and its channels shared out.
   */
  pool2d(max: boolean, args: readonly number[]): void {
    const c = this.c;
    for (let i = 0; i < args.length; i++) c[ARGS + i] = args[i]!;
    this.pass(max ? JOB_MAX_POOL : JOB_AVG_POOL, args[1]!, channelsPerBlock(args[2]! * args[3]!));
  }

  /** Runs a pass of `total` items in blocks of `per` on all threads (its arguments already in ARGS…). */
  private pass(kind: number, total: number, per: number): void {
    const c = this.c;
    c[KIND] = kind;
    c[PER] = per;
    c[TOTAL] = total;
    c[ROWS] = Math.ceil(total / per);
    this.publish();
    takeBlocks(this.kernels, c);
    this.join();
  }

  /** Starts the job written to the control block on the other threads. */
  private publish(): void {
    const c = this.c;
    Atomics.store(c, NEXT, 0);
    Atomics.store(c, DONE, 0);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
  }

  /** Waits until every other thread has finished the current job. */
  private join(): void {
    waitUntil(this.c, DONE, this.threads - 1);
  }

  /** Ends the workers' loops and terminates them. */
  stop(): void {
    Atomics.store(this.c, STOP, 1);
    Atomics.add(this.c, GEN, 1);
    Atomics.notify(this.c, GEN);
    for (const w of this.workers) w.terminate();
  }
}
