/**
 * The service's command line, checked before anything is loaded: every value is parsed and range-
 * checked here, and a mistake is a UsageError (exit 2) naming the flag and the bad value.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { UsageError } from '@onebit/core';
import { DEFAULT_MAX_BYTES } from './classify-server.js';
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

/** Largest decoded image by default, pixels (4096², width × height from the header; checked by the inference threads). */
export const DEFAULT_MAX_PIXELS = 4096 * 4096;
/** Requests that may wait for a worker by default. */
const DEFAULT_QUEUE = 64;
/** Per-request deadline by default, ms. */
const DEFAULT_DEADLINE_MS = 10_000;

export const USAGE = `usage: node apps/server/dist/main.js [--help] [--model model.onnx] [--labels classes.txt] [--port 8080] [--host 127.0.0.1] [--max-bytes ${DEFAULT_MAX_BYTES}] [--max-pixels ${DEFAULT_MAX_PIXELS}] [--workers ${DEFAULT_WORKERS}] [--threads 1] [--queue ${DEFAULT_QUEUE}] [--deadline-ms ${DEFAULT_DEADLINE_MS}] [--backend auto|engine|onnxruntime] [--worker-nice ${DEFAULT_WORKER_NICE}] [--verbose]`;

/** What parseServerArgs returns for --help. */
export const HELP_REQUESTED = { help: true } as const;

/** --help: what the service does and every flag with its default. */
export const HELP = `onebit example service: POST /classify takes image bytes (PNG, JPEG, WebP, GIF, TIFF, AVIF)
and answers the top-k classes as JSON; GET /healthz (alive) and GET /readyz (takes requests).
Without --model it converts the authors' CIFAR-10 WRN-20-10 from ../shared at start-up.

${USAGE}

  --model FILE        packed ONNX or .onebit model (make one with: onebit convert <checkpoint> -o model.onnx)
  --labels FILE       class names, one per line (default: the model's classes as "class 0", "class 1", …;
                      the built-in model's CIFAR-10 names without --model)
  --port N            port to listen on, 0 for any free one (default 8080)
  --host ADDR         address to listen on (default 127.0.0.1)
  --max-bytes N       largest request body in bytes (default ${DEFAULT_MAX_BYTES}); larger gets 413
  --max-pixels N      largest image, width × height from its header (default ${DEFAULT_MAX_PIXELS}); larger gets 413
  --workers N         inference threads, each holding the model (default ${DEFAULT_WORKERS}: one per core, at most 4)
  --threads N         onnxruntime intra-op threads per worker (default 1)
  --queue N           requests that may wait for a worker (default ${DEFAULT_QUEUE}); past it 503 + Retry-After
  --deadline-ms N     time from arrival to answer (default ${DEFAULT_DEADLINE_MS}); past it 503
  --backend B         auto (the onebit engine when it runs the model, else onnxruntime), engine, onnxruntime
  --worker-nice N     CPU priority of the inference threads on Linux, 0–19 (default ${DEFAULT_WORKER_NICE})
  --verbose           on a start-up failure, print the stack trace too
  --help              this text`;

/**
 * The UsageError for a node:util parseArgs failure (unknown flag, missing value): its first line and
 * the command's usage, in one sentence. Shared by the service and the load test.
 */
export function flagError(e: unknown, usage: string): UsageError {
  return new UsageError(`${(e instanceof Error ? e.message : String(e)).split('\n')[0]!.replace(/\.$/, '')}; ${usage}.`, { cause: e });
}

/** A whole number from `min` to `max` given as `--flag value`, or a UsageError naming both. */
export function integer(flag: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag} "${text}" is not a whole number from ${min} to ${max}.`);
  }
  return value;
}

/**
 * Parses `argv` (without node and the script).
 * @returns the options, or HELP_REQUESTED for --help (print HELP, exit 0).
 * @throws UsageError for an unknown flag, a positional argument, a missing value or a value out of range.
 */
export function parseServerArgs(argv: readonly string[]): ServerArgs | typeof HELP_REQUESTED {
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
        queue: { type: 'string', default: String(DEFAULT_QUEUE) },
        'deadline-ms': { type: 'string', default: String(DEFAULT_DEADLINE_MS) },
        backend: { type: 'string', default: 'auto' },
        'worker-nice': { type: 'string', default: String(DEFAULT_WORKER_NICE) },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    throw flagError(e, USAGE);
  }
  if (values.help) return HELP_REQUESTED;
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
