/**
 * The worker-thread pool with the real packed WRN-20-10 behind the real service on loopback:
 * answers equal the model's run directly; with one worker and a queue of 2, a burst of 12 requests
 * gets 200s and 503s with Retry-After (never a reset), /readyz says 503 while the queue is full,
 * and /healthz answers while requests still wait because inference is off the event loop; a request
 * past its deadline, or behind a queue that would outlast it, is a 503; an image whose header declares more pixels than the bound is a 413 from the worker before decoding;
 * a worker that dies fails only its request and is replaced; on Linux the inference thread runs at nice 19.
 */
import { crc32 } from 'node:zlib';
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadModel } from '@onebit/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClassifyServer, type ClassifyServer } from './classify-server.js';
import { cifarPngs, defaultModel } from './default-model.js';
import { createInferencePool, DEFAULT_WORKER_NICE, OverloadedError, type InferencePool } from './inference-pool.js';

let pool: InferencePool;
let server: ClassifyServer;
let base: string;
let samples: { png: Uint8Array; label: number }[];
let wrn: Awaited<ReturnType<typeof defaultModel>>;

beforeAll(async () => {
  wrn = await defaultModel();
  samples = await cifarPngs(12);
  pool = await createInferencePool({ model: wrn.model, labels: wrn.labels, threads: 1, backend: 'onnxruntime', maxPixels: 64 * 64, workers: 1, maxQueue: 2, deadlineMs: 20_000 });
  server = createClassifyServer(pool);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await pool?.close();
});

const post = (png: Uint8Array): Promise<Response> => fetch(`${base}/classify?topK=3`, { method: 'POST', body: png as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'image/png' } });

describe('inference in worker threads behind a bounded queue', () => {
  it('answers what the model answers run directly', async () => {
    const direct = await loadModel(wrn.model, { labels: wrn.labels, cache: false, backend: 'onnxruntime' });
    try {
      for (const s of samples.slice(0, 4)) {
        const res = await post(s.png);
        expect(res.status).toBe(200);
        const { top } = (await res.json()) as { top: { index: number; probability: number }[] };
        const want = await direct.classify(s.png, { topK: 3 });
        expect(top.map((t) => t.index)).toEqual(want.map((t) => t.index));
        expect(top[0]!.probability).toBeCloseTo(want[0]!.probability, 12);
      }
    } finally {
      await direct.dispose();
    }
  }, 60_000);

  it('a burst past the queue gets 503 with Retry-After, /readyz fails while full, /healthz answers meanwhile', async () => {
    const burst = samples.map((s) => post(s.png).then(async (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), body: (await r.json()) as { error?: string }, at: performance.now() })));
    // While the burst is queued: readiness fails and liveness answers fast.
    await new Promise((r) => setTimeout(r, 50));
    const ready = await fetch(`${base}/readyz`);
    const health = await fetch(`${base}/healthz`);
    const healthAt = performance.now();
    const waitingThen = pool.load().queued;
    const answers = await Promise.all(burst);
    // Liveness answered while requests were still waiting for the worker: inference is not on the event loop.
    // (Its latency under load is a benchmark figure, npm run bench, not a timed test.)
    expect(health.status).toBe(200);
    expect(waitingThen).toBeGreaterThan(0);
    expect(healthAt).toBeLessThan(Math.max(...answers.map((a) => a.at)));
    expect(ready.status).toBe(503);
    expect(Number(ready.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const statuses = answers.map((a) => a.status);
    // One running and two waiting are served; the other nine are refused, none reset.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(3);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    const refused = answers.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) {
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(r.body.error).toMatch(/^The service is at capacity|^All 1 inference workers are busy/);
    }
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  }, 60_000);

  it('a request past its deadline is refused with OverloadedError (503), and the pool keeps serving', async () => {
    const running = pool.classify(samples[0]!.png, { topK: 1 });
    const late = pool.classify(samples[1]!.png, { topK: 1, deadlineMs: 1 });
    await expect(late).rejects.toBeInstanceOf(OverloadedError);
    await expect(late).rejects.toThrow(/within its 1 ms deadline/);
    expect((await running)[0]!.index).toBe(samples[0]!.label); // CIFAR-10 test image 0, a cat, which the WRN gets right
    // Behind a waiting request, a 1 ms deadline cannot be met: refused at once, not after waiting.
    const first = pool.classify(samples[2]!.png, { topK: 1 });
    const second = pool.classify(samples[3]!.png, { topK: 1 });
    await expect(pool.classify(samples[4]!.png, { topK: 1, deadlineMs: 1 })).rejects.toThrow(/^The 1 requests waiting would take about \d+ ms, past this request's 1 ms deadline; retry shortly\.$/);
    expect([(await first)[0]!.index, (await second)[0]!.index]).toEqual([samples[2]!.label, samples[3]!.label]);
    expect(pool.load()).toEqual({ queued: 0, running: 0, workers: 1 });
  }, 60_000);

  it('an image whose header declares too many pixels is a 413 from the worker, before decoding', async () => {
    const sharp = (await import('sharp')).default;
    const png = Buffer.from(await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer());
    // IHDR starts at byte 8 (length, "IHDR", width, height, …, CRC over type+data): declare 7000×7000
    // over one pixel's data, so only a header check (not a decode) can answer 413.
    png.writeUInt32BE(7000, 16);
    png.writeUInt32BE(7000, 20);
    png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
    const res = await fetch(`${base}/classify`, { method: 'POST', body: new Uint8Array(png) as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'image/png' } });
    expect({ status: res.status, json: await res.json() }).toEqual({ status: 413, json: { error: 'The 90-byte image starting 89 50 4e 47 is 7000×7000 = 49000000 pixels, more than the limit of 4096; send a smaller image.' } });
  }, 60_000);
});

describe.runIf(process.platform === 'linux')('CPU priority (Linux, where nice is per thread)', () => {
  /** The nice value (field 19 of /proc/<pid>/task/<tid>/stat) of every thread of this process. */
  const niceOfThreads = (): Map<number, number> => new Map(readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, nice field 19.
    return [Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
  }));

  it('the inference thread runs at nice 19 (DEFAULT_WORKER_NICE) while the event loop thread keeps its own priority', () => {
    const nice = niceOfThreads();
    expect(DEFAULT_WORKER_NICE).toBe(19);
    expect([...nice.values()].filter((n) => n === 19).length).toBeGreaterThanOrEqual(1);
    expect(nice.get(process.pid)).toBe(0);
  });
});

describe('a worker that dies', () => {
  it('fails only its own request, and is replaced so the pool keeps serving', async () => {
    const crashing = await createInferencePool({ model: new Uint8Array(0), threads: 1, backend: 'auto', maxPixels: 1, workers: 1, workerScript: new URL('./crashing-worker.fixture.mjs', import.meta.url) });
    try {
      await expect(crashing.classify(new Uint8Array(4), { topK: 9 })).rejects.toThrow('The inference worker running this request stopped (exit code 3).');
      expect((await crashing.classify(new Uint8Array(4), { topK: 2 }))[0]!.index).toBe(2);
      expect(crashing.load()).toEqual({ queued: 0, running: 0, workers: 1 });
    } finally {
      await crashing.close();
    }
  });
});

