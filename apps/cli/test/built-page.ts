/**
 * Runs a Vite build of a README example in a real browser: serves the build folder with `vite preview`
 * on 127.0.0.1 (no extra headers, as a user's static server would) and opens it in headless Chromium
 * (Debian's `/usr/bin/chromium`, or `ONEBIT_CHROMIUM`, driven by playwright-core), for the tests that
 * execute the README's browser blocks.
 */
import { chromium } from 'playwright-core';
import { preview } from 'vite';

export interface BuiltPageRun {
  /** document.title and document.body.textContent (trimmed) once `done` held. */
  readonly title: string;
  readonly text: string;
  /** console.log lines, in order. */
  readonly logs: string[];
  /** Uncaught page errors, console errors and HTTP responses ≥ 400, in order. */
  readonly problems: string[];
}

/**
 * Serves `root`'s `dist` build (with its `configFile`, if any), opens it and waits up to 60 s for the
 * page function `done` to return true.
 * @throws Error naming the page's problems when `done` never holds.
 */
export async function runBuiltPage(root: string, configFile: string | false, done: () => boolean): Promise<BuiltPageRun> {
  const server = await preview({ root, configFile, logLevel: 'warn', build: { outDir: 'dist' }, preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false } });
  const browser = await chromium.launch({
    executablePath: process.env.ONEBIT_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    const logs: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => (m.type() === 'error' ? problems : m.type() === 'log' ? logs : []).push(m.text()));
    page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
    await page.goto(server.resolvedUrls!.local[0]!);
    await page.waitForFunction(done, undefined, { timeout: 60_000 }).catch((e: unknown) => {
      throw new Error(`the page never finished in Chromium: ${problems.join('; ') || String(e)}`);
    });
    return { title: await page.title(), text: (await page.evaluate(() => document.body.textContent ?? '')).trim(), logs, problems };
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}
