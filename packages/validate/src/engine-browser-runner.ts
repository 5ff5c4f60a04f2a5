/**
 * The onebit engine inside headless Chromium (the web app's path): a loopback server with the
 * cross-origin isolation headers serves a page, the engine bundled for the browser (esbuild) and the
 * model; the page starts a module Web Worker that streams the model into the engine's memory
 * (loadEngineInto) and, for threads > 1, starts the engine's thread workers (nested Web Workers on
 * a shared WebAssembly.Memory: Atomics.wait is not allowed on a page's main thread). Batches travel
 * as the browser runner's do (put on the server, fetched by the page), so the two time the same way.
 */
import { fileURLToPath } from 'node:url';
import { ModelError } from '@onebit/core';
import { MAX_THREADS } from '@onebit/engine';
import { openRunnerPage, pageBatchRun } from './chromium-page.js';
import { firstLine } from './first-line.js';
import { startLoopbackServer } from './loopback-server.js';
import type { PageDownload } from './page-download.js';
import type { Runner } from './runner-types.js';

/** The page: relays load/run requests to the engine's worker and returns its answers. */
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>onebit engine runner</title>
<script type="module">
const worker = new Worker('/engine-worker.js', { type: 'module' });
let next = 0;
const pending = new Map();
worker.onmessage = (e) => {
  const { id, ok, error, ...rest } = e.data;
  const p = pending.get(id);
  pending.delete(id);
  if (ok) p.resolve(rest); else p.reject(new Error(error));
};
worker.onerror = (e) => { for (const p of pending.values()) p.reject(new Error(e.message || 'the engine worker failed to start')); pending.clear(); };
window.onebitEngine = (message) => new Promise((resolve, reject) => {
  const id = next++;
  pending.set(id, { resolve, reject });
  worker.postMessage({ ...message, id });
});
window.onebitReady = true;
</script>
`;

/** The engine worker (bundled with @onebit/engine): load streams the model in, run runs one batch. */
const WORKER = `import { loadEngineInto } from '@onebit/engine';
let engine;
self.onmessage = async ({ data }) => {
  const { id } = data;
  try {
    if (data.type === 'load') {
      const t0 = performance.now();
      const res = await fetch('/model.onnx');
      if (!res.ok || !res.body) throw new Error('GET /model.onnx answered ' + res.status);
      const reader = res.body.getReader();
      engine = await loadEngineInto(data.size, async (into) => {
        let at = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (at + value.length > into.length) throw new Error('the model is longer than its announced ' + into.length + ' bytes');
          into.set(value, at);
          at += value.length;
        }
        if (at !== into.length) throw new Error('the model ended after ' + at + ' of ' + into.length + ' bytes');
      }, { threads: data.threads });
      if (data.threads > 1) await engine.startThreads(() => new Worker('/thread-worker.js', { type: 'module' }));
      self.postMessage({ id, ok: true, ms: performance.now() - t0, inputName: engine.inputName, outputNames: engine.outputNames, memory: engine.memory, threads: engine.threads, isolated: self.crossOriginIsolated });
    } else {
      const x = new Float32Array(await (await fetch(data.path)).arrayBuffer());
      const y = engine.run(x, data.dims)[0].data;
      self.postMessage({ id, ok: true, data: y }, [y.buffer]);
    }
  } catch (e) {
    self.postMessage({ id, ok: false, error: e instanceof Error ? e.name + ': ' + e.message : String(e) });
  }
};
`;

/** Bundles `source` (an ES module importing @onebit/engine) for the browser with esbuild. */
async function bundle(source: string): Promise<string> {
  const esbuild = await import('esbuild');
  // Resolved from this package, which depends on @onebit/engine.
  const resolveDir = fileURLToPath(new URL('.', import.meta.url));
  const out = await esbuild.build({ stdin: { contents: source, resolveDir, loader: 'js' }, bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, write: false, logLevel: 'silent' });
  return out.outputFiles[0]!.text;
}

/** A Runner with the engine in Chromium; `memory()` is the engine's EngineMemory, `pageDownload()` what the page fetched. */
export interface EngineBrowserRunner extends Runner {
  readonly memory: { wasmMemory: number; wasmMemoryUsed: number };
  pageDownload(): Promise<PageDownload>;
}

export async function createEngineBrowserRunner(model: Uint8Array, threads: number): Promise<EngineBrowserRunner> {
  const used = Math.min(threads, MAX_THREADS);
  const server = await startLoopbackServer();
  server.put('/index.html', PAGE);
  server.put('/engine-worker.js', await bundle(WORKER));
  // Started explicitly: @onebit/engine declares no side effects, so a bare import would be dropped.
  server.put('/thread-worker.js', await bundle(`import { startThread } from '@onebit/engine/thread-worker';\nself.onmessage = (e) => startThread(e.data);`));
  server.put('/model.onnx', model);
  let browser: import('playwright-core').Browser | undefined;
  try {
    const opened = await openRunnerPage(server, (errors) => `The engine runner page did not start from ${server.origin}: ${errors}.`);
    browser = opened.browser;
    const { page, pageDownload } = opened;
    const started = performance.now();
    type Loaded = { inputName: string; outputNames: string[]; memory: { wasmMemory: number; wasmMemoryUsed: number }; threads: { running: number }; isolated: boolean };
    let init: Loaded;
    try {
      init = (await page.evaluate(async ([size, t]) => (window as unknown as { onebitEngine(m: object): Promise<unknown> }).onebitEngine({ type: 'load', size, threads: t }), [model.length, used] as const)) as Loaded;
    } catch (e) {
      throw new ModelError(`The onebit engine in Chromium could not load the ${model.length}-byte model: ${firstLine(e)}`, undefined, { cause: e });
    }
    const sessionCreationMs = performance.now() - started;
    if (init.threads.running !== used) throw new ModelError(`The onebit engine in Chromium runs ${init.threads.running} threads, not the ${used} asked for (is the page cross-origin isolated? ${init.isolated}).`);
    const outputName = init.outputNames[0]!;
    const name = `onebit engine (WebAssembly SIMD, ${used} thread${used === 1 ? '' : 's'}) in Chromium ${browser.version()}`;
    const owned = browser;
    return {
      name, runtime: 'onebit', inputName: init.inputName, outputName, sessionCreationMs, memory: init.memory, pageDownload,
      run: pageBatchRun(server, name, init.inputName, async (path, dims) => {
        const out = await page.evaluate(async ([p, d]) => {
          const r = (await (window as unknown as { onebitEngine(m: object): Promise<{ data: Float32Array }> }).onebitEngine({ type: 'run', path: p, dims: d }));
          return Array.from(r.data);
        }, [path, dims] as const);
        return Float32Array.from(out);
      }),
      async dispose() {
        await owned.close();
        await server.close();
      },
    };
  } catch (e) {
    await browser?.close();
    await server.close();
    throw e;
  }
}
