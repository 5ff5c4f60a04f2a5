/**
 * Starts the example service: `node dist/main.js [--model model.onnx] [--labels classes.txt]
 * [--port 8080] [--host 127.0.0.1] [--max-bytes 5000000] [--max-pixels 16777216] [--workers N] [--threads 1]
 * [--queue 64] [--deadline-ms 10000] [--backend auto] [--worker-nice 19]`. Without --model it serves the authors' CIFAR-10 WRN-20-10,
 * converted at start-up from the data resolver's copy. Inference runs in a pool of worker threads.
 * Exit status (core's classifyFailure, as the CLI): 2 for a usage mistake (checked before the model
 * loads), 1 for bad data (a typed error) or a failed listen, each with one sentence on stderr; any
 * other error is a bug in onebit: exit 1, one sentence asking for a report, the stack only with --verbose.
 */
import type { AddressInfo } from 'node:net';
import { classifyFailure } from '@onebit/core';
import { readInput } from '@onebit/data';
import { createClassifyServer } from './classify-server.js';
import { defaultModelInThread } from './default-model.js';
import { createInferencePool } from './inference-pool.js';
import { HELP, listenError, parseServerArgs } from './options.js';

/** How long requests in flight get after SIGTERM before their connections are closed. */
const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const args = parseServerArgs(process.argv.slice(2));
  if ('help' in args) return void console.log(HELP);
  const fallback = args.model ? undefined : await defaultModelInThread();
  const labels = args.labels ? new TextDecoder().decode(readInput(args.labels, '--labels')).split(/\r?\n/).map((l) => l.trim()).filter(Boolean) : fallback?.labels;
  const bytes = args.model ? readInput(args.model, '--model') : fallback!.model;
  const model = await createInferencePool({ model: bytes, threads: args.threads, backend: args.backend, maxPixels: args.maxPixels, workers: args.workers, maxQueue: args.queue, deadlineMs: args.deadlineMs, nice: args.workerNice, ...(labels ? { labels } : {}) });
  const server = createClassifyServer(model, { maxBytes: args.maxBytes });
  server.once('error', (e: NodeJS.ErrnoException) => {
    console.error(listenError(e, args.host, args.port));
    void model.close().finally(() => process.exit(1));
  });
  server.listen(args.port, args.host, () => {
    const { address, port } = server.address() as AddressInfo;
    console.log(`onebit example service on http://${address}:${port} — POST /classify (image bytes), GET /healthz, GET /readyz; model ${model.info.sha256.slice(0, 12)}…, ${model.info.weights.toLocaleString('en')} binary weights, loaded in ${model.info.loadTimeMs.toFixed(0)} ms; ${args.workers} ${model.info.backend} workers at nice ${args.workerNice}, queue ${args.queue}, deadline ${args.deadlineMs} ms`);
  });
  // SIGTERM/SIGINT: fail /readyz, finish requests in flight, close idle and stalled connections, exit within 10 s.
  const stop = (): void => {
    void server.shutdown(SHUTDOWN_DEADLINE_MS).then(() => model.close()).finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  const failure = classifyFailure(e, '--verbose');
  console.error(failure.message);
  if (process.argv.includes('--verbose')) {
    for (let err: unknown = e; err !== undefined; err = err instanceof Error ? err.cause : undefined) console.error(err instanceof Error ? (err.stack ?? String(err)) : String(err));
  }
  process.exitCode = failure.exitCode;
});
