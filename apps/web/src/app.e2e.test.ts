/**
 * End to end in real Chromium (Debian's /usr/bin/chromium driven by playwright-core): builds the
 * app with Vite, serves the build on 127.0.0.1 with vite preview, loads the page, runs the in-page
 * validation of the 20 bundled CIFAR-10 images and checks every browser top-1 against
 * onnxruntime-node's top-1 recorded at build time. Also classifies one sample by keyboard, switches
 * to the authors' plain 20-4 CIFAR-100 net (test image 0 → fine label 64 'possum', the reference
 * logits' top-1 and onnxruntime-node's; all 20 samples agree with onnxruntime-node) and checks that
 * a reload with the network cut still works (service worker + Cache Storage). A screenshot of the
 * result page is saved to test-results/web-validate.png.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import type { AppData } from '../build/generate-assets.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(appDir, 'test-results', 'dist');
const CHROMIUM = '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM))('web app in Chromium', () => {
  let server: PreviewServer;
  let browser: Browser;
  let url: string;
  let data: AppData;

  beforeAll(async () => {
    // vitest sets NODE_ENV=test, which would build the app in dev mode (no service worker).
    const nodeEnv = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      await build({ root: appDir, configFile: join(appDir, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    } finally {
      process.env['NODE_ENV'] = nodeEnv;
    }
    data = JSON.parse(readFileSync(join(outDir, 'app-data.json'), 'utf8')) as AppData;
    server = await preview({ root: appDir, configFile: join(appDir, 'vite.config.ts'), logLevel: 'warn', build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false, open: false } });
    url = server.resolvedUrls!.local[0]!;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server?.httpServer.close(() => resolve()));
  });

  it('records each bundled model\'s SHA-256 in app-data.json, which the page pins when it loads the model', () => {
    for (const m of data.models) expect(m.sha256).toBe(createHash('sha256').update(readFileSync(join(outDir, m.file))).digest('hex'));
  });

  it('classifies the 20 bundled CIFAR-10 images with the same top-1 as onnxruntime-node', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1700 } });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(url);
    await page.locator('#model-status[data-state="ready"]').waitFor({ timeout: 90_000 });
    // No broken-image icon before a choice: the preview is hidden until an image is picked.
    expect(await page.locator('#preview').isHidden()).toBe(true);
    expect(await page.locator('#top5-note').textContent()).toContain("softmax of the model's 10 output logits");

    // keyboard: Tab to the first sample and press Enter
    await page.locator('#samples button').first().focus();
    await page.keyboard.press('Enter');
    await page.locator('#top5 li').nth(4).waitFor();
    expect(await page.locator('#preview').isVisible()).toBe(true);
    const shownTop1 = Number(await page.locator('#top5 li').first().getAttribute('data-index'));
    expect(shownTop1).toBe(data.samples[0]!.nodeTop1);

    await page.locator('#validate').click();
    await page.locator('#validate-summary[data-state="done"]').waitFor({ timeout: 90_000 });
    const rows = await page.locator('#validate-table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ index: Number((tr as HTMLElement).dataset['index']), browser: Number((tr as HTMLElement).dataset['browserTop1']), node: Number((tr as HTMLElement).dataset['nodeTop1']) })),
    );
    expect(rows).toHaveLength(20);
    expect(rows.map((r) => r.browser)).toEqual(data.samples.map((s) => s.nodeTop1));
    expect(rows.map((r) => r.node)).toEqual(data.samples.map((s) => s.nodeTop1));
    // The authors' WRN gets all of the first 20 test images right (they are in its 96.18 %).
    expect(await page.locator('#validate-summary').getAttribute('data-correct')).toBe('20');
    expect(await page.locator('#validate-summary').getAttribute('data-agree')).toBe('20');

    // The onebit engine runs it, threaded (the preview server makes the page cross-origin
    // isolated), and the memory shown is the engine's measured WebAssembly memory.
    const info = await page.locator('#model-info').textContent();
    expect(info).toMatch(/onebit engine \(WebAssembly SIMD, [2-4] threads\) in a Web Worker/);
    expect(info).toMatch(/Memory \(WebAssembly, measured; weights at 1 bit\)\d/);
    mkdirSync(join(appDir, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(appDir, 'test-results', 'web-validate.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    expect(failed).toEqual([]); // no 404, not even favicon.ico (the icon is an inline SVG)
    // Nothing leaves the app's own origin (no CDN, fonts or analytics).
    expect(requests.filter((r) => !r.startsWith(url) && !r.startsWith('blob:') && !r.startsWith('data:'))).toEqual([]);

    // The plain 20-4 CIFAR-100 net: its top-1 on CIFAR-10 test images 0–19 is the reference
    // logits' (mcdonnell-plain20-4-cifar100_cifar10-test-0-999_logits.npy) and onnxruntime-node's.
    const plainTop1 = [64, 85, 90, 16, 63, 44, 58, 83, 65, 13, 30, 13, 80, 19, 81, 27, 2, 8, 12, 44];
    const plain = data.models.find((m) => m.id === 'plain20-4')!;
    expect(plain.classes).toHaveLength(100);
    expect(plain.nodeTop1).toEqual(plainTop1);
    // Nothing (not the service worker's precache either) fetched the plain net before it was chosen.
    expect(requests.filter((r) => r.endsWith(plain.file))).toEqual([]);
    await page.locator('#model-select').selectOption('plain20-4');
    await page.waitForFunction(() => document.getElementById('class-count')?.textContent === '100' && document.getElementById('model-status')?.dataset['state'] === 'ready', undefined, { timeout: 90_000 });
    expect(await page.locator('#top5-note').textContent()).toContain("softmax of the model's 100 output logits");
    await page.locator('#samples button').first().click();
    await page.locator('#top5 li').nth(4).waitFor();
    expect(Number(await page.locator('#top5 li').first().getAttribute('data-index'))).toBe(64);
    expect(await page.locator('#top5 li .name').first().textContent()).toBe('possum');
    await page.locator('#validate').click();
    await page.waitForFunction(() => {
      const s = document.getElementById('validate-summary');
      return s?.dataset['state'] === 'done' && s.dataset['correct'] === undefined;
    }, undefined, { timeout: 90_000 });
    const plainRows = await page.locator('#validate-table tbody tr').evaluateAll((trs) => trs.map((tr) => Number((tr as HTMLElement).dataset['browserTop1'])));
    expect(plainRows).toEqual(plainTop1);
    expect(await page.locator('#validate-summary').getAttribute('data-agree')).toBe('20');
    expect(await page.locator('#validate-summary').textContent()).toContain("not among this model's 100 classes");
    expect(pageErrors).toEqual([]);

    // Offline: once visited, a reload without network loads the model from the caches.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined)); // precache complete
    await context.setOffline(true);
    await page.reload();
    await page.locator('#model-status[data-state="ready"]').waitFor({ timeout: 90_000 });
    // The page pins the model to the SHA-256 its build recorded: the cached copy has it, so it is used without asking the server.
    expect(await page.locator('#model-status').textContent()).toContain('from the offline cache, checked by its SHA-256');
    await context.close();
  }, 240_000);
});
