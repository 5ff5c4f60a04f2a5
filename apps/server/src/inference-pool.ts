/**
 * Inference off the event loop, behind admission control: a fixed pool of worker threads
 * (inference-worker.ts), each holding the model, takes one request at a time; requests wait in one
 * FIFO queue of bounded length. A request is refused with OverloadedError (HTTP 503 with
 * Retry-After) when the queue is full, when the queue ahead of it would take longer than its deadline
 * (estimated from the measured mean service time), and when its deadline passes while it waits or runs (a run
 * cannot be interrupted: its worker finishes, the answer is dropped). A worker that dies fails its
 * request and is replaced.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { deserializeError, type Classification, type ModelInfo, type SerializedError } from '@onebit/runtime';

/** What each worker thread gets (structured-cloned). */
export interface WorkerConfig {
  readonly model: Uint8Array;
  readonly labels?: readonly string[];
  readonly threads: number;
  readonly backend: 'auto' | 'engine' | 'onnxruntime';
  readonly maxPixels: number;
  /** Nice value the thread gives itself before loading the model (Linux only; see inference-worker.ts). */
  readonly nice?: number;
}

/**
 * Inference threads run at the lowest CPU priority by default: on a machine with as many busy
 * threads as cores, the event loop's thread then preempts them the moment a request or a
 * /healthz probe arrives, instead of waiting out their time slices (measured in bench/server-bench.mjs).
 */
export const DEFAULT_WORKER_NICE = 19;

export type PoolRequest = { readonly id: number; readonly image: Uint8Array; readonly topK: number };
export type PoolResponse =
  | { readonly type: 'ready'; readonly info: ModelInfo }
  | { readonly type: 'failed'; readonly error: SerializedError }
  | { readonly type: 'result'; readonly id: number; readonly top: Classification[]; readonly ms: number }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError; readonly ms: number };

/** The service cannot take the request now; retry after `retryAfterS` seconds (HTTP 503). */
export class OverloadedError extends Error {
  constructor(message: string, readonly retryAfterS: number) {
    super(message);
    this.name = 'OverloadedError';
  }
}

export interface PoolOptions extends WorkerConfig {
  /** Worker threads (default: the machine's available parallelism, at most 4). */
  readonly workers?: number;
  /** Requests that may wait for a worker (default 64); one more is refused. */
  readonly maxQueue?: number;
  /** Time from a request's arrival to its answer before it is refused, ms (default 10 000). */
  readonly deadlineMs?: number;
  /** The worker thread's script (default inference-worker.js); tests substitute one that crashes. */
  readonly workerScript?: URL;
}

interface Job {
  readonly id: number;
  readonly image: Uint8Array;
  readonly topK: number;
  readonly deadline: number;
  resolve(top: Classification[]): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
  done: boolean;
}

interface Slot { worker: Worker; job: Job | undefined }

export interface InferencePool {
  readonly info: ModelInfo;
  /** Top-k of the encoded image; rejects with OverloadedError past the queue bound or the deadline, or the runtime's typed errors. */
  classify(image: Uint8Array, options: { topK?: number; deadlineMs?: number }): Promise<Classification[]>;
  /** Undefined while a request would be queued; else how long a client should wait before retrying. */
  saturated(): { retryAfterS: number } | undefined;
  /** Requests waiting and running. */
  load(): { queued: number; running: number; workers: number };
  /** Stops the workers; waiting requests are refused. */
  close(): Promise<void>;
}

function workerUrl(): URL {
  // Under vitest this module runs from src/*.ts; the worker thread needs the built JavaScript.
  return import.meta.url.endsWith('.ts') ? new URL('../dist/inference-worker.js', import.meta.url) : new URL('./inference-worker.js', import.meta.url);
}

/** Starts `options.workers` threads and resolves once every one has loaded the model (rejects with the first load error). */
export async function createInferencePool(options: PoolOptions): Promise<InferencePool> {
  const count = options.workers ?? Math.min(4, availableParallelism());
  const maxQueue = options.maxQueue ?? 64;
  const defaultDeadline = options.deadlineMs ?? 10_000;
  const config: WorkerConfig = { model: options.model, threads: options.threads, backend: options.backend, maxPixels: options.maxPixels, nice: options.nice ?? DEFAULT_WORKER_NICE, ...(options.labels ? { labels: options.labels } : {}) };
  const queue: Job[] = [];
  const slots: Slot[] = [];
  let nextId = 1;
  let closed = false;
  /** Mean service time of recent requests (exponentially weighted), ms; seeds Retry-After. */
  let meanMs = 100;

  const retryAfterS = (): number => Math.max(1, Math.ceil(((queue.length + count) * meanMs) / count / 1000));
  const finish = (job: Job): boolean => {
    if (job.done) return false;
    job.done = true;
    clearTimeout(job.timer);
    return true;
  };

  function dispatch(): void {
    for (const slot of slots) {
      if (slot.job) continue;
      const job = queue.shift();
      if (!job) return;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, image: job.image, topK: job.topK } satisfies PoolRequest, [job.image.buffer as ArrayBuffer]);
    }
  }

  function start(): Promise<{ slot: Slot; info: ModelInfo }> {
    const worker = new Worker(options.workerScript ?? workerUrl(), { workerData: config });
    const slot: Slot = { worker, job: undefined };
    return new Promise((resolve, reject) => {
      let ready = false;
      worker.on('message', (m: PoolResponse) => {
        if (m.type === 'ready') {
          ready = true;
          resolve({ slot, info: m.info });
        } else if (m.type === 'failed') reject(deserializeError(m.error));
        else {
          const job = slot.job;
          slot.job = undefined;
          meanMs = 0.8 * meanMs + 0.2 * m.ms;
          if (job && job.id === m.id && finish(job)) {
            if (m.type === 'result') job.resolve(m.top);
            else job.reject(deserializeError(m.error));
          }
          dispatch();
        }
      });
      worker.on('error', (e) => {
        if (!ready) reject(e);
      });
      worker.on('exit', (code) => {
        if (!ready) return reject(new Error(`An inference worker exited with code ${code} before loading the model.`));
        const i = slots.indexOf(slot);
        if (i >= 0) slots.splice(i, 1);
        const job = slot.job;
        if (job && finish(job)) job.reject(new Error(`The inference worker running this request stopped (exit code ${code}).`));
        if (!closed) {
          // Replace it so the pool keeps its size.
          start().then(({ slot: s }) => {
            slots.push(s);
            dispatch();
          }, () => undefined);
        }
      });
    });
  }

  const started = await Promise.allSettled(Array.from({ length: count }, start));
  const failure = started.find((s) => s.status === 'rejected');
  for (const s of started) if (s.status === 'fulfilled') slots.push(s.value.slot);
  if (failure) {
    closed = true;
    await Promise.all(slots.map((s) => s.worker.terminate()));
    throw (failure as PromiseRejectedResult).reason;
  }
  const info = (started[0] as PromiseFulfilledResult<{ info: ModelInfo }>).value.info;

  return {
    info,
    classify(image, o) {
      if (closed) return Promise.reject(new OverloadedError('The service is shutting down; send the request to another instance.', 1));
      if (queue.length >= maxQueue) return Promise.reject(new OverloadedError(`All ${count} inference workers are busy and ${queue.length} requests are waiting (the limit); retry shortly.`, retryAfterS()));
      const deadlineMs = o.deadlineMs ?? defaultDeadline;
      // Refused now rather than after waiting out its deadline: the queue ahead of it would take longer.
      const expectedWaitMs = ((queue.length + 1) * meanMs) / count;
      if (queue.length > 0 && expectedWaitMs > deadlineMs) {
        return Promise.reject(new OverloadedError(`The ${queue.length} requests waiting would take about ${Math.round(expectedWaitMs)} ms, past this request's ${deadlineMs} ms deadline; retry shortly.`, retryAfterS()));
      }
      return new Promise<Classification[]>((resolve, reject) => {
        // A copy of its own, transferred to the worker: the body may be a slice of a pooled buffer.
        const own = new Uint8Array(image);
        const job: Job = {
          id: nextId++, image: own, topK: o.topK ?? 5, deadline: Date.now() + deadlineMs, resolve, reject, done: false,
          timer: setTimeout(() => {
            const waiting = queue.indexOf(job);
            if (waiting >= 0) queue.splice(waiting, 1);
            if (finish(job)) reject(new OverloadedError(`The request was not answered within its ${deadlineMs} ms deadline (${waiting >= 0 ? 'still waiting for a worker' : 'still running'}); retry shortly.`, retryAfterS()));
          }, deadlineMs),
        };
        job.timer.unref();
        queue.push(job);
        dispatch();
      });
    },
    saturated: () => (closed || queue.length >= maxQueue || (queue.length > 0 && ((queue.length + 1) * meanMs) / count > defaultDeadline) ? { retryAfterS: retryAfterS() } : undefined),
    load: () => ({ queued: queue.length, running: slots.filter((s) => s.job).length, workers: slots.length }),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) if (finish(job)) job.reject(new OverloadedError('The service is shutting down; send the request to another instance.', 1));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
