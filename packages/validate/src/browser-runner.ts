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
import { startLoopbackServer } from './loopback-server.js';
import { recordPageDownload } from './page-download.js';
import type { Runner } from './runner-types.js';

/** The Chromium binary; `ONEBIT_CHROMIUM` overrides it. */
export const CHROMIUM_PATH = process.env.ONEBIT_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a quiet, offline, headless Chromium. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** onnxruntime-web's dist folder, found through module resolution. */
export function ortWebDist(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('onnxruntime-web'));
}

/** Launches the headless Chromium used by the runner and the HTML report test. */
export async function launchChromium(): Promise<import('playwright-core').Browser> {
  const { chromium } = await import('playwright-core');
  try {
    return await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  } catch (e) {
    throw new ModelError(`Chromium at ${CHROMIUM_PATH} could not be started (set ONEBIT_CHROMIUM to another binary): ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, undefined, { cause: e });
  }
}

export async function createBrowserRunner(model: Uint8Array, threads: number): Promise<Runner> {
  const server = await startLoopbackServer({ '/ort/': ortWebDist() });
  server.put('/index.html', BROWSER_PAGE);
  server.put('/model.onnx', model);
  let browser: import('playwright-core').Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    const pageDownload = recordPageDownload(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.origin}/index.html`);
    await page.waitForFunction('window.onebitReady === true', undefined, { timeout: 30_000 }).catch(() => {
      throw new ModelError(`The browser runner page did not load onnxruntime-web from ${server.origin}/ort/: ${errors.join('; ') || 'timed out'}.`);
    });
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
    let batch = 0;
    const owned = browser;
    return {
      name, runtime: 'browser', inputName, outputName, sessionCreationMs, pageDownload,
      async run(input, dims) {
        const path = `/batch/${batch++}.bin`;
        server.put(path, new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
        try {
          const out = await page.evaluate(async ([p, d]) => (window as unknown as { onebitRun(p: string, d: number[]): Promise<{ type: string; data?: number[] }> }).onebitRun(p, d), [path, dims] as const);
          if (!out.data) throw new ModelError(`Output "${outputName}" is ${out.type}, not float32 logits.`, outputName);
          return Float32Array.from(out.data);
        } catch (e) {
          if (e instanceof ModelError) throw e;
          throw new ModelError(`${name} failed on input "${inputName}" of shape [${dims.join(', ')}]: ${firstLine(e)}`, inputName, { cause: e });
        } finally {
          server.put(path, undefined);
        }
      },
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

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.trim();
}
