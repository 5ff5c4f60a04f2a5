/**
 * What the two Chromium runners (onnxruntime-web's and the onebit engine's) share: launching
 * Debian's headless Chromium (playwright-core), opening their runner page from the loopback server,
 * and sending a batch to it (put on the server at a fresh path, fetched by the page, logits back
 * through `page.evaluate`, then removed).
 */
import type { Browser, Page } from 'playwright-core';
import { ModelError } from '@onebit/core';
import { firstLine } from './first-line.js';
import type { LoopbackServer } from './loopback-server.js';
import { recordPageDownload, type PageDownload } from './page-download.js';
import type { Runner } from './runner-types.js';

/** The Chromium binary; `ONEBIT_CHROMIUM` overrides it. */
export const CHROMIUM_PATH = process.env.ONEBIT_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a quiet, offline, headless Chromium. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Launches the headless Chromium used by the runner and the HTML report test. */
export async function launchChromium(): Promise<import('playwright-core').Browser> {
  const { chromium } = await import('playwright-core');
  try {
    return await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  } catch (e) {
    throw new ModelError(`Chromium at ${CHROMIUM_PATH} could not be started (set ONEBIT_CHROMIUM to another binary): ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, undefined, { cause: e });
  }
}

export interface RunnerPage {
  readonly browser: Browser;
  readonly page: Page;
  /** What the page downloaded so far (see recordPageDownload). */
  readonly pageDownload: () => Promise<PageDownload>;
}

/**
 * Launches Chromium, opens `${server.origin}/index.html` and waits (30 s) until the page sets
 * `window.onebitReady`. Throws a ModelError with `notReady(pageErrors)` if it never does, closing
 * the browser it launched (the server stays the caller's).
 */
export async function openRunnerPage(server: LoopbackServer, notReady: (pageErrors: string) => string): Promise<RunnerPage> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const pageDownload = recordPageDownload(server);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.origin}/index.html`);
    await page.waitForFunction('window.onebitReady === true', undefined, { timeout: 30_000 }).catch(() => {
      throw new ModelError(notReady(errors.join('; ') || 'timed out'));
    });
    return { browser, page, pageDownload };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/**
 * A Runner's `run` for a page: each float32 batch of shape `dims` is served at `/batch/<n>.bin`
 * while `runInPage(path, dims)` has the page fetch and run it. A ModelError from `runInPage`
 * passes through; any other failure becomes one naming the runner, the input and the shape.
 */
export function pageBatchRun(
  server: LoopbackServer,
  name: string,
  inputName: string,
  runInPage: (path: string, dims: number[]) => Promise<Float32Array>,
): Runner['run'] {
  let batch = 0;
  return async (input, dims) => {
    const path = `/batch/${batch++}.bin`;
    server.put(path, new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
    try {
      return await runInPage(path, dims);
    } catch (e) {
      if (e instanceof ModelError) throw e;
      throw new ModelError(`${name} failed on input "${inputName}" of shape [${dims.join(', ')}]: ${firstLine(e)}`, inputName, { cause: e });
    } finally {
      server.put(path, undefined);
    }
  };
}
