/**
 * The example service on loopback with the real packed WRN-20-10: correct answers for CIFAR-10
 * PNGs, a bounded load test (400 requests from 8 clients; the full 2 000-request run is in the
 * README, ~25 images/s on 2 cores makes it 80 s) with zero errors, and 4xx answers for malformed
 * requests after which the service keeps serving.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { loadModel, type NodeModel } from '@onebit/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClassifyServer } from './classify-server.js';
import { cifarPngs, defaultModel } from './default-model.js';
import { quantile, runLoadTest } from './load-test.js';

let model: NodeModel;
let server: Server;
let base: string;
let samples: { png: Uint8Array; label: number }[];

beforeAll(async () => {
  const { model: bytes, labels } = await defaultModel();
  // As main.ts: onnxruntime-node, whose inference runs off the event loop (the onebit engine runs on the calling thread).
  model = await loadModel(bytes, { labels, cache: false, backend: 'onnxruntime' });
  samples = await cifarPngs(20);
  server = createClassifyServer(model, { maxBytes: 100_000 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await model?.dispose();
});

const post = (body: BodyInit | undefined, type = 'image/png', path = '/classify'): Promise<Response> =>
  fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': type } });

describe('POST /classify', () => {
  it('answers the top-k for each of the 20 CIFAR-10 PNGs, matching their labels', async () => {
    for (const s of samples) {
      const res = await post(s.png as Uint8Array<ArrayBuffer>, 'image/png', '/classify?topK=3');
      expect(res.status).toBe(200);
      const json = (await res.json()) as { top: { index: number; label: string; probability: number }[] };
      expect(json.top).toHaveLength(3);
      expect(json.top[0]!.index).toBe(s.label);
      expect(json.top[0]!.label).toBe(model.info.labels[s.label]);
    }
  });

  it('survives a bounded load test (400 requests, 8 concurrent clients) with zero errors', async () => {
    const r = await runLoadTest(base, samples.map((s) => s.png), 400, 8);
    expect(r.errors).toEqual({});
    expect(r.ok).toBe(400);
    expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
    console.log(`load test: ${r.requestsPerSecond.toFixed(1)} requests/s, p50 ${r.p50Ms.toFixed(0)} ms, p99 ${r.p99Ms.toFixed(0)} ms`);
  }, 240_000);
});

describe('malformed requests get 4xx and the service keeps serving', () => {
  const cases: [string, () => Promise<Response>, number, RegExp][] = [
    ['empty body', () => post(new Uint8Array(0)), 400, /^The request body is empty; send the image bytes\.$/],
    ['bytes that are no image', () => post(new TextEncoder().encode('hello, not a png')), 415, /^The 16-byte body starting 68 65 6c 6c is not a PNG, JPEG, WebP, GIF, TIFF, AVIF image; send one of those\.$/],
    ['a truncated PNG', () => post(new Uint8Array(samples[0]!.png.subarray(0, 60))), 400, /^image: The 60-byte image starting 89 50 4e 47 could not be decoded: /],
    ['a JSON body', () => post('{"image": 1}', 'application/json'), 415, /^Content-Type "application\/json" is not an image type; send the image bytes as image\/png, image\/jpeg, image\/webp, image\/gif, image\/tiff, image\/avif, application\/octet-stream or with no Content-Type\.$/],
    ['a body over the limit', () => post(new Uint8Array(200_000)), 413, /^The request body of 200000 bytes is over the 100000-byte limit\.$/],
    ['a bad topK', () => post(samples[0]!.png as Uint8Array<ArrayBuffer>, 'image/png', '/classify?topK=11'), 400, /^topK "11" is not a whole number from 1 to 10\.$/],
    ['GET /classify', () => fetch(`${base}/classify`), 405, /^GET is not allowed on \/classify; POST the image bytes\.$/],
    ['an unknown path', () => fetch(`${base}/nope`), 404, /^There is no \/nope; use POST \/classify, GET \/healthz or GET \/readyz\.$/],
  ];
  for (const [name, send, status, message] of cases) {
    it(`${name} → ${status}`, async () => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
      const again = await post(samples[1]!.png as Uint8Array<ArrayBuffer>);
      expect(again.status).toBe(200);
    });
  }

  it('GET /healthz reports the model', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { eventLoopDelayMaxMs: number };
    expect(body).toMatchObject({ status: 'ok', model: model.info.sha256, weights: 26_737_120 });
    // The worst event-loop delay since the previous /healthz, in ms (a measurement: only its type and sign are fixed).
    expect(typeof body.eventLoopDelayMaxMs).toBe('number');
    expect(body.eventLoopDelayMaxMs).toBeGreaterThanOrEqual(0);
  });
});

describe('quantile', () => {
  it('uses the nearest rank', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([quantile(v, 0.5), quantile(v, 0.99), quantile(v, 1)]).toEqual([50, 99, 100]);
  });
});
