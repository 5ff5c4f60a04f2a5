/**
 * The browser worker protocol, run in Node: createWorkerClassifier (page side) and serveModels
 * (worker side) joined by a real MessageChannel (structured cloning and transfers as in a browser),
 * with models built by the runtime's createModel over fake sessions whose loads and runs the test
 * holds and releases. Covers each race of issue 14: overlapping loads, a load during classify, a
 * dispose during classify, stale handles, requests serialised per model, and typed errors; and the
 * same dispose-during-classify rule for a model used without a worker.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getPreprocess } from '@onebit/core';
import { InputSizeError, ModelDisposedError, ModelLoadError } from './errors.js';
import { createModel } from './model.js';
import type { Backend, Session } from './session.js';
import type { Model, ModelInfo, RgbImage } from './types.js';
import { createWorkerClassifier, type ClassifierPort } from './worker-client.js';
import { serveModels, type MessageScope, type ModelLoader } from './worker-host.js';
import type { WorkerResponse } from './worker-protocol.js';

/** A latch the test opens: everything awaiting `wait()` continues after `open()`. */
function gate(): { wait(): Promise<void>; open(): void; waiting(): number } {
  let opened = false;
  const waiters: (() => void)[] = [];
  return {
    wait: () => (opened ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    open() {
      opened = true;
      for (const w of waiters.splice(0)) w();
    },
    waiting: () => waiters.length,
  };
}

/** A session that answers logits ranking class `index` first, after its run gate opens. */
interface FakeSession extends Session {
  readonly name: string;
  readonly runGate: ReturnType<typeof gate>;
  runsStarted: number;
  runsFinished: number;
  released: number;
  /** Set when release() was called while a run was in progress: the race the protocol must prevent. */
  releasedMidRun: boolean;
}

function fakeSession(name: string, index: number): FakeSession {
  const s: FakeSession = {
    name,
    inputNames: ['input'],
    outputNames: ['logits'],
    runGate: gate(),
    runsStarted: 0,
    runsFinished: 0,
    released: 0,
    releasedMidRun: false,
    async run(input, dims) {
      if (s.released > 0) throw new Error(`session ${name} ran after release`);
      s.runsStarted++;
      await s.runGate.wait();
      s.runsFinished++;
      const logits = new Float32Array(dims[0]! * 3);
      for (let i = 0; i < dims[0]!; i++) logits[i * 3 + index] = 5;
      return logits;
    },
    async release() {
      if (s.runsStarted > s.runsFinished) s.releasedMidRun = true;
      s.released++;
    },
  };
  return s;
}

const backend: Backend<RgbImage> = { name: 'fake', createSession: () => Promise.reject(new Error('unused')), toPixels: async (image) => image };
const info = (name: string): ModelInfo => ({
  sha256: name.padEnd(64, '0'), bytesDownloaded: 0, modelBytes: 1, bytesInMemory: 0, weights: 0, bitsPerWeight: Number.NaN, loadTimeMs: 0, sessionMs: 0,
  fromCache: false, cacheResult: 'off', inputName: 'input', outputName: 'logits', inputShape: [3, 2, 2], numClasses: 3, labels: ['a', 'b', 'c'], preprocess: 'raw255', backend: 'fake', metadata: {},
});
const pixels: RgbImage = { width: 2, height: 2, data: new Uint8Array(12) };

/** A loader whose model "url-N" loads when the test opens its gate and ranks class N % 3 first. */
function fakeLoader() {
  const sessions = new Map<string, FakeSession>();
  const loadGates = new Map<string, ReturnType<typeof gate>>();
  const loadGate = (source: string): ReturnType<typeof gate> => {
    let g = loadGates.get(source);
    if (!g) loadGates.set(source, (g = gate()));
    return g;
  };
  const load: ModelLoader = async (source, options) => {
    const name = String(source);
    if (name.endsWith('broken')) {
      if (name.includes('slow')) await loadGate(name).wait();
      throw new ModelLoadError(`The model ${name} is not ONNX (it starts with "<html").`);
    }
    const s = fakeSession(name, Number(name.split('-').pop()) % 3);
    sessions.set(name, s);
    options.onProgress(0, 1);
    await loadGate(name).wait();
    options.onProgress(1, 1);
    return createModel(s, backend, info(name), getPreprocess('raw255'), options.resize ?? 'resize', 1 << 20) as Model<RgbImage>;
  };
  return { load, sessions, loadGate };
}

/** Lets queued messages and promise chains run (MessageChannel delivers on the event loop). */
async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

const channels: MessageChannel[] = [];
function connect() {
  const channel = new MessageChannel();
  channels.push(channel);
  const loader = fakeLoader();
  const host = serveModels(channel.port2 as unknown as MessageScope, loader.load);
  const client = createWorkerClassifier(channel.port1 as unknown as ClassifierPort);
  return { ...loader, host, client, port: channel.port1 };
}

afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

describe('worker protocol', () => {
  it('overlapping loads give two independent models, each classifying with its own session; disposing both releases both', async () => {
    const { client, sessions, loadGate, host } = connect();
    const first = client.loadModel('http://x/url-1');
    const second = client.loadModel('http://x/url-2');
    await settle();
    expect(host.liveModels()).toBe(2);
    loadGate('http://x/url-2').open(); // the later load finishes first
    const b = await second;
    loadGate('http://x/url-1').open();
    const a = await first;
    sessions.get('http://x/url-1')!.runGate.open();
    sessions.get('http://x/url-2')!.runGate.open();
    expect((await a.classify(pixels, { topK: 1 }))[0]).toMatchObject({ index: 1, label: 'b' });
    expect((await b.classify(pixels, { topK: 1 }))[0]).toMatchObject({ index: 2, label: 'c' });
    await Promise.all([a.dispose(), b.dispose()]);
    expect([...sessions.values()].map((s) => s.released)).toEqual([1, 1]);
    expect(host.liveModels()).toBe(0);
  });

  it('a dispose sent while the load is still running releases the session when the load completes (no leak)', async () => {
    const { port, sessions, loadGate, host } = connect();
    const answers: WorkerResponse[] = [];
    port.onmessage = (e: MessageEvent<WorkerResponse>) => answers.push(e.data);
    port.postMessage({ id: 1, modelId: 7, type: 'load', source: 'http://x/url-0', options: {} });
    port.postMessage({ id: 2, modelId: 7, type: 'classify', images: [pixels] });
    port.postMessage({ id: 3, modelId: 7, type: 'dispose' });
    await settle();
    expect(sessions.get('http://x/url-0')!.released).toBe(0);
    sessions.get('http://x/url-0')!.runGate.open();
    loadGate('http://x/url-0').open();
    await settle();
    expect(answers.filter((a) => a.type !== 'progress').map((a) => [a.id, a.modelId, a.type])).toEqual([[1, 7, 'result'], [2, 7, 'result'], [3, 7, 'result']]);
    expect(answers.every((a) => a.modelId === 7)).toBe(true);
    expect(sessions.get('http://x/url-0')!.released).toBe(1);
    expect(host.liveModels()).toBe(0);
  });

  it('a load arriving during classify leaves the running session alone; the classify finishes on its own model', async () => {
    const { client, sessions, loadGate } = connect();
    loadGate('http://x/url-1').open();
    loadGate('http://x/url-2').open();
    const a = await client.loadModel('http://x/url-1');
    const running = a.classify(pixels, { topK: 1 });
    await settle();
    const sa = sessions.get('http://x/url-1')!;
    expect(sa.runsStarted).toBe(1);
    const b = await client.loadModel('http://x/url-2');
    expect(sa.released).toBe(0);
    sa.runGate.open();
    expect((await running)[0]!.label).toBe('b');
    expect(sa.releasedMidRun).toBe(false);
    expect(sessions.get('http://x/url-2')!.runsStarted).toBe(0);
    await b.dispose();
    expect(sa.released).toBe(0);
  });

  it('a dispose during classify waits for the run, then releases the session once', async () => {
    const { client, sessions, loadGate } = connect();
    loadGate('http://x/url-0').open();
    const a = await client.loadModel('http://x/url-0');
    const sa = sessions.get('http://x/url-0')!;
    const running = a.classify(pixels, { topK: 1 });
    await settle();
    const disposing = a.dispose();
    await settle();
    expect(sa.released).toBe(0);
    sa.runGate.open();
    expect((await running)[0]!.label).toBe('a');
    await disposing;
    await a.dispose(); // idempotent
    expect(sa.released).toBe(1);
    expect(sa.releasedMidRun).toBe(false);
  });

  it("an old handle's classify and dispose never act on a newer model", async () => {
    const { client, sessions, loadGate, port } = connect();
    loadGate('http://x/url-1').open();
    loadGate('http://x/url-2').open();
    const old = await client.loadModel('http://x/url-1');
    await old.dispose();
    const current = await client.loadModel('http://x/url-2');
    const sb = sessions.get('http://x/url-2')!;
    await expect(old.classify(pixels)).rejects.toBeInstanceOf(ModelDisposedError);
    await old.dispose();
    expect(sb).toMatchObject({ runsStarted: 0, released: 0 });
    // The worker refuses it too, not only the page side: a raw request with the old model id.
    const answer = new Promise<WorkerResponse>((resolve) => {
      const previous = port.onmessage;
      port.onmessage = (e: MessageEvent<WorkerResponse>) => (e.data.id === 999 ? resolve(e.data) : previous?.call(port, e));
    });
    port.postMessage({ id: 999, modelId: 1, type: 'classify', images: [pixels] });
    expect(await answer).toMatchObject({ id: 999, modelId: 1, type: 'error', error: { name: 'ModelDisposedError', modelId: 1 } });
    sb.runGate.open();
    expect((await current.classify(pixels, { topK: 1 }))[0]!.label).toBe('c');
  });

  it('requests to one model run one at a time, in arrival order', async () => {
    const { client, sessions, loadGate } = connect();
    loadGate('http://x/url-0').open();
    const a = await client.loadModel('http://x/url-0');
    const sa = sessions.get('http://x/url-0')!;
    const results = [a.classify(pixels), a.classify(pixels), a.classify(pixels)];
    await settle();
    expect(sa.runsStarted).toBe(1);
    sa.runGate.open();
    await Promise.all(results);
    expect(sa.runsFinished).toBe(3);
  });

  it('errors cross as typed errors: a failed load, a wrong-size image, a request queued behind a failed load, a malformed message', async () => {
    const { client, loadGate, port, host } = connect();
    await expect(client.loadModel('http://x/broken')).rejects.toBeInstanceOf(ModelLoadError);
    expect(host.liveModels()).toBe(0);
    loadGate('http://x/url-0').open();
    const strict = await client.loadModel('http://x/url-0', { resize: 'error' });
    const wrongSize = await strict.classify({ width: 3, height: 2, data: new Uint8Array(18) }).catch((e: unknown) => e);
    expect(wrongSize).toBeInstanceOf(InputSizeError);
    expect(wrongSize).toMatchObject({ width: 3, height: 2, channels: 3, message: 'The image is 3×2 but the model needs 2×2 (resizing is off).' });

    const answers: WorkerResponse[] = [];
    port.onmessage = (e: MessageEvent<WorkerResponse>) => answers.push(e.data);
    port.postMessage({ id: 50, modelId: 50, type: 'load', source: 'http://x/slow-broken', options: {} });
    port.postMessage({ id: 51, modelId: 50, type: 'classify', images: [pixels] });
    port.postMessage({ id: 52, modelId: 50, type: 'dispose' });
    port.postMessage({ type: 'classify' });
    await settle();
    loadGate('http://x/slow-broken').open();
    await settle();
    // The malformed message is answered at once; model 50's requests in their order, after its load.
    expect(answers.map((a) => [a.id, a.type, a.type === 'error' ? a.error.name : a.value]).sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual([
      [-1, 'error', 'TypeError'],
      [50, 'error', 'ModelLoadError'],
      [51, 'error', 'ModelDisposedError'],
      [52, 'result', null],
    ]);
    expect((answers.find((a) => a.id === 51) as { error: { message: string } }).error.message).toBe('Model 50 is not loaded (its load failed) in this worker; load the model again to get a live handle.');
  });
});

describe('a model used directly (no worker)', () => {
  it('dispose waits for the run in flight, releases once, and classify afterwards is a ModelDisposedError', async () => {
    const s = fakeSession('direct', 1);
    const model = createModel(s, backend, info('direct'), getPreprocess('raw255'), 'resize', 1 << 20);
    const running = model.classify(pixels, { topK: 1 });
    await settle();
    const disposing = model.dispose();
    await settle();
    expect(s.released).toBe(0);
    s.runGate.open();
    expect((await running)[0]!.label).toBe('b');
    await Promise.all([disposing, model.dispose()]);
    expect(s).toMatchObject({ released: 1, releasedMidRun: false });
    await expect(model.classify(pixels)).rejects.toBeInstanceOf(ModelDisposedError);
  });
});
