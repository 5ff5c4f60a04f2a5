/**
 * Load test for the example service over loopback: N POST /classify requests (CIFAR-10 test PNGs,
 * round robin) from C concurrent clients, each sending its next request when the last one
 * answers; reports requests/s, p50/p99/max latency and every non-200 status. Without --url it
 * starts the service in this process on 127.0.0.1.
 *
 *   node apps/server/dist/load-test.js [--requests 2000] [--concurrency 8] [--url http://127.0.0.1:8080] [--workers N] [--threads 1]
 *
 * bench/server-bench.mjs (`npm run bench`) is the fuller measurement: 1 to 128 clients, /healthz
 * under load, peak RSS, against the service started as its own process.
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { classifyFailure } from '@onebit/core';
import { createClassifyServer } from './classify-server.js';
import { cifarPngs, defaultModel } from './default-model.js';
import { createInferencePool } from './inference-pool.js';
import { DEFAULT_WORKERS, flagError, integer } from './options.js';

export interface LoadTestResult {
  readonly requests: number;
  readonly concurrency: number;
  readonly ok: number;
  /** Non-200 answers and network failures, by status (0 = network error). */
  readonly errors: Readonly<Record<number, number>>;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export async function runLoadTest(baseUrl: string, bodies: readonly Uint8Array[], requests: number, concurrency: number): Promise<LoadTestResult> {
  if (!Number.isInteger(requests) || requests < 1) throw new RangeError(`requests ${requests} is not a positive integer.`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency ${concurrency} is not a positive integer.`);
  const latencies: number[] = [];
  const errors: Record<number, number> = {};
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < requests) {
      const body = bodies[next++ % bodies.length]!;
      const start = performance.now();
      let status = 0;
      try {
        const res = await fetch(`${baseUrl}/classify`, { method: 'POST', body: body as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'image/png' } });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = 0;
      }
      latencies.push(performance.now() - start);
      if (status !== 200) errors[status] = (errors[status] ?? 0) + 1;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const failed = Object.values(errors).reduce((a, b) => a + b, 0);
  return {
    requests, concurrency, ok: requests - failed, errors, seconds,
    requestsPerSecond: requests / seconds,
    p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99), maxMs: latencies[latencies.length - 1]!,
  };
}

const LOAD_TEST_USAGE = 'usage: node apps/server/dist/load-test.js [--requests 2000] [--concurrency 8] [--url http://127.0.0.1:8080] [--workers N] [--threads 1] [--help]';

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { requests: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '8' }, url: { type: 'string' }, threads: { type: 'string', default: '1' }, workers: { type: 'string', default: String(DEFAULT_WORKERS) }, help: { type: 'boolean', default: false } } }));
  } catch (e) {
    throw flagError(e, LOAD_TEST_USAGE);
  }
  if (values.help) return void console.log(`Load test of the example service: POST /classify with CIFAR-10 test PNGs from N concurrent clients; without --url it starts the service in this process on 127.0.0.1.\n\n${LOAD_TEST_USAGE}`);
  // Every flag is checked before a service is started, so a mistake never leaves one running.
  const requests = integer('requests', values.requests, 1, 10_000_000);
  const concurrency = integer('concurrency', values.concurrency, 1, 10_000);
  const threads = integer('threads', values.threads, 1, 256);
  const workers = integer('workers', values.workers, 1, 64);
  const bodies = (await cifarPngs(20)).map((s) => s.png);
  let url = values.url;
  let stop = async (): Promise<void> => {};
  if (!url) {
    const { model: bytes, labels } = await defaultModel();
    // A queue as long as the run, so this measures throughput rather than admission control.
    const model = await createInferencePool({ model: bytes, labels, threads, workers, backend: 'auto', maxPixels: 4096 * 4096, maxQueue: requests });
    const server = createClassifyServer(model);
    stop = async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await model.close();
    };
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  try {
    console.log(`load test: ${requests} requests from ${concurrency} clients against ${url}/classify`);
    const r = await runLoadTest(url, bodies, requests, concurrency);
    console.log(`${r.ok}/${r.requests} ok, errors ${JSON.stringify(r.errors)}; ${r.seconds.toFixed(1)} s, ${r.requestsPerSecond.toFixed(1)} requests/s; latency p50 ${r.p50Ms.toFixed(0)} ms, p99 ${r.p99Ms.toFixed(0)} ms, max ${r.maxMs.toFixed(0)} ms`);
    if (r.ok !== r.requests) process.exitCode = 1;
  } finally {
    await stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    const failure = classifyFailure(e, '--verbose');
    console.error(failure.message);
    process.exitCode = failure.exitCode;
  });
}
