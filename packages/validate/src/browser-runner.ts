/**
 * The `browser` runner: onnxruntime-web (WebAssembly backend) inside a real headless Chromium
 * (Debian's `/usr/bin/chromium`, driven by playwright-core). A loopback server serves the page,
 * onnxruntime-web's dist files and the model; each batch is put on the server and fetched by the
 * page, and the logits come back through `page.evaluate`. The page is cross-origin isolated, so
 * `threads` WebAssembly threads are available, per browser (unlike onnxruntime-web in Node).
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { ModelError } from '@onebit/core';
import { BROWSER_PAGE } from './browser-page.js';
import { openRunnerPage, pageBatchRun } from './chromium-page.js';
import { firstLine } from './first-line.js';
import { startLoopbackServer } from './loopback-server.js';
import type { Runner } from './runner-types.js';

export { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from './chromium-page.js';

/** onnxruntime-web's dist folder, found through module resolution. */
export function ortWebDist(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('onnxruntime-web'));
}

export async function createBrowserRunner(model: Uint8Array, threads: number): Promise<Runner> {
  const server = await startLoopbackServer({ '/ort/': ortWebDist() });
  server.put('/index.html', BROWSER_PAGE);
  server.put('/model.onnx', model);
  let browser: import('playwright-core').Browser | undefined;
  try {
    const opened = await openRunnerPage(server, (errors) => `The browser runner page did not load onnxruntime-web from ${server.origin}/ort/: ${errors}.`);
    browser = opened.browser;
    const { page, pageDownload } = opened;
    const started = performance.now();
    let init: { ms: number; inputNames: string[]; outputNames: string[]; version: string; isolated: boolean };
    try {
      init = await page.evaluate(async (t) => (window as unknown as { onebitInit(t: number): Promise<typeof init> }).onebitInit(t), threads);
    } catch (e) {
      throw new ModelError(`onnxruntime-web in Chromium could not load the ${model.length}-byte model: ${firstLine(e)}`, undefined, { cause: e });
    }
    const sessionCreationMs = performance.now() - started;
    const [inputName] = init.inputNames;
    const [outputName] = init.outputNames;
    if (init.inputNames.length !== 1 || inputName === undefined || outputName === undefined) {
      throw new ModelError(`The model has inputs [${init.inputNames.join(', ')}] and outputs [${init.outputNames.join(', ')}]; validation needs exactly one image input and an output.`, init.inputNames[1]);
    }
    const name = `onnxruntime-web ${init.version} wasm in Chromium ${browser.version()} (${threads} thread${threads === 1 ? '' : 's'}${init.isolated ? '' : ', not cross-origin isolated'})`;
    const owned = browser;
    return {
      name, runtime: 'browser', inputName, outputName, sessionCreationMs, pageDownload,
      run: pageBatchRun(server, name, inputName, async (path, dims) => {
        const out = await page.evaluate(async ([p, d]) => (window as unknown as { onebitRun(p: string, d: number[]): Promise<{ type: string; data?: number[] }> }).onebitRun(p, d), [path, dims] as const);
        if (!out.data) throw new ModelError(`Output "${outputName}" is ${out.type}, not float32 logits.`, outputName);
        return Float32Array.from(out.data);
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
