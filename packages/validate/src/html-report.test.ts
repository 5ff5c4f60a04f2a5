/**
 * The HTML report opens in headless Chromium with every network request refused, and its confusion
 * heat map and misclassified-image thumbnails render: test-data/mean-rgb.onnx on 100 real CIFAR-10
 * images (a poor classifier, so there are misclassified images). The screenshot is saved under
 * test-results/ (gitignored) for a human look.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { launchChromium } from './browser-runner.js';
import { readCifar, readCifarClassNames } from './cifar.js';
import { evaluateGates } from './gates.js';
import { misclassified, renderHtmlReport } from './html-report.js';
import { thumbnails } from './thumbnails.js';
import { validateModel } from './validate-model.js';

const cifar = readCifar(new Uint8Array(readFileSync(sharedPath('datasets/cifar10/test_batch_0-999.bin'))));
const classNames = readCifarClassNames(readFileSync(sharedPath('datasets/cifar10/batches.meta.txt'), 'utf8'));
const model = new Uint8Array(readFileSync(new URL('../test-data/mean-rgb.onnx', import.meta.url)));

describe('HTML report', () => {
  it('is self-contained and renders the heat map and thumbnails in Chromium offline', async () => {
    const report = await validateModel({ model, data: cifar, preprocess: 'raw255', threads: 1, limit: 100 });
    const wrong = misclassified(report);
    expect(wrong.length).toBe(Math.round(report.top1Error * 100));
    const checks = evaluateGates(report, { expectTop1Error: { op: '<=', limit: 0.5 } });
    const html = renderHtmlReport({ ...report, model: 'mean-rgb.onnx', data: 'test_batch_0-999.bin' }, {
      classNames, checks, thumbnails: await thumbnails(cifar, wrong.slice(0, 40)), maxMisclassified: 40,
    });
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain('FAIL --expect-top1-error');

    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ offline: true, viewport: { width: 1200, height: 1600 } });
      const requests: string[] = [];
      await context.route('**/*', (route) => {
        requests.push(route.request().url());
        return route.abort();
      });
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      const state = await page.evaluate(() => {
        const canvas = document.getElementById('heat') as HTMLCanvasElement;
        const g = canvas.getContext('2d')!;
        const pixels = g.getImageData(0, 0, canvas.width, canvas.height).data;
        let coloured = 0;
        for (let i = 0; i < pixels.length; i += 4) if (pixels[i] !== 255 || pixels[i + 1] !== 255 || pixels[i + 2] !== 255) coloured++;
        const images = [...document.querySelectorAll<HTMLImageElement>('#misclassified img')];
        return {
          width: canvas.width, drawn: Number(canvas.dataset.drawn), coloured,
          images: images.length, loaded: images.filter((img) => img.complete && img.naturalWidth === 64).length,
          figures: document.querySelectorAll('#misclassified figure').length,
          top3: document.querySelector('#misclassified figure ol')?.children.length,
          perClassRows: document.querySelectorAll('#perclass tr').length,
        };
      });
      expect(requests).toEqual([]);
      expect(state.width).toBe(600);
      expect(state.drawn).toBe(report.confusion.flat().filter((c) => c > 0).length);
      expect(state.coloured).toBeGreaterThan(60 * 60 * state.drawn * 0.9);
      expect(state.images).toBe(40);
      expect(state.loaded).toBe(40);
      expect(state.figures).toBe(40);
      expect(state.top3).toBe(3);
      expect(state.perClassRows).toBe(11);
      mkdirSync(new URL('../test-results/', import.meta.url), { recursive: true });
      const shot = await page.screenshot({ path: new URL('../test-results/html-report.png', import.meta.url).pathname, fullPage: true });
      expect(shot.length).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });
});
