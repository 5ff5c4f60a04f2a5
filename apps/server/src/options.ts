/**
 * The service's command line, checked before anything is loaded: every value is parsed and range-
 * checked here, and a mistake is a UsageError (exit 2) naming the flag and the bad value.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { UsageError } from '@onebit/core';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS } from './classify-server.js';
import { DEFAULT_WORKER_NICE } from './inference-pool.js';

export interface ServerArgs {
  readonly model: string | undefined;
  readonly labels: string | undefined;
  readonly port: number;
  readonly host: string;
  /** Largest accepted request body, bytes. */
  readonly maxBytes: number;
  /** Largest decoded image, pixels (width × height from the header). */
  readonly maxPixels: number;
  /** onnxruntime intra-op threads per worker. */
  readonly threads: number;
  /** Inference worker threads. */
  readonly workers: number;
  /** Requests that may wait for a worker before new ones get 503. */
  readonly queue: number;
  /** Per-request deadline from arrival to answer, ms (503 past it). */
  readonly deadlineMs: number;
  readonly backend: 'auto' | 'engine' | 'onnxruntime';
  /** Nice value (0..19) of each inference thread on Linux, so the event loop's thread always wins a core. */
  readonly workerNice: number;
  /** On a failure at start-up, print the stack trace and causes below the one sentence. */
  readonly verbose: boolean;
}

/** One inference worker per core, at most 4 (each holds the model). */
export const DEFAULT_WORKERS = Math.max(1, Math.min(4, availableParallelism()));

export const USAGE = 'usage: node dist/main.js [--model model.onnx] [--labels classes.txt] [--port 8080] [--host 127.0.0.1] [--max-bytes 5000000] [--max-pixels 16777216] [--workers 2] [--threads 1] [--queue 64] [--deadline-ms 10000] [--backend auto|engine|onnxruntime] [--worker-nice 19] [--verbose]';

/** A whole number from `min` to `max` given as `--flag value`, or a UsageError naming both. */
function integer(flag: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag} "${text}" is not a whole number from ${min} to ${max}.`);
  }
  return value;
}

/**
 * Parses `argv` (without node and the script).
 * @throws UsageError for an unknown flag, a positional argument, a missing value or a value out of range.
 */
export function parseServerArgs(argv: readonly string[]): ServerArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        model: { type: 'string' },
        labels: { type: 'string' },
        port: { type: 'string', default: '8080' },
        host: { type: 'string', default: '127.0.0.1' },
        'max-bytes': { type: 'string', default: String(DEFAULT_MAX_BYTES) },
        'max-pixels': { type: 'string', default: String(DEFAULT_MAX_PIXELS) },
        threads: { type: 'string', default: '1' },
        workers: { type: 'string', default: String(DEFAULT_WORKERS) },
        queue: { type: 'string', default: '64' },
        'deadline-ms': { type: 'string', default: '10000' },
        backend: { type: 'string', default: 'auto' },
        'worker-nice': { type: 'string', default: String(DEFAULT_WORKER_NICE) },
        verbose: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    throw new UsageError(`${(e instanceof Error ? e.message : String(e)).split('\n')[0]!.replace(/\.$/, '')}; ${USAGE}.`, { cause: e });
  }
  const backend = values.backend;
  if (backend !== 'auto' && backend !== 'engine' && backend !== 'onnxruntime') throw new UsageError(`--backend "${backend}" is not one of auto, engine, onnxruntime.`);
  if (values.host.trim() === '') throw new UsageError('--host is empty; give an address such as 127.0.0.1.');
  return {
    model: values.model,
    labels: values.labels,
    port: integer('port', values.port, 0, 65_535),
    host: values.host,
    maxBytes: integer('max-bytes', values['max-bytes'], 1, 2 ** 31 - 1),
    maxPixels: integer('max-pixels', values['max-pixels'], 1, 2 ** 31 - 1),
    threads: integer('threads', values.threads, 1, 256),
    workers: integer('workers', values.workers, 1, 64),
    queue: integer('queue', values.queue, 0, 100_000),
    deadlineMs: integer('deadline-ms', values['deadline-ms'], 1, 3_600_000),
    backend,
    workerNice: integer('worker-nice', values['worker-nice'], 0, 19),
    verbose: values.verbose,
  };
}

/** One sentence for a failed listen (port in use, no permission, unknown host) instead of a stack. */
export function listenError(e: NodeJS.ErrnoException, host: string, port: number): string {
  if (e.code === 'EADDRINUSE') return `Port ${port} on ${host} is already in use; stop the other service or pass another --port.`;
  if (e.code === 'EACCES') return `Listening on port ${port} of ${host} is not permitted; pass a --port above 1023.`;
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') return `--host "${host}" is not an address of this machine; pass one such as 127.0.0.1.`;
  return `Could not listen on ${host}:${port}: ${e.message}.`;
}
