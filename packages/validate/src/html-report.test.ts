/**
 * The HTML report opens in headless Chromium with every network request refused, and its confusion
 * heat map (with its axis titles and a class-name tick beside each row and under each column) and
 * misclassified-image thumbnails render: test-data/mean-rgb.onnx on 100 real CIFAR-10
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
    expect(html).toContain('>true class</div>');
    expect(html).toContain('>predicted class</div>');

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
      // Each tick label is visible, beside its row (y) or under its column (x) of the canvas.
      const axes = await page.evaluate(() => {
        const box = (e: Element): DOMRect => e.getBoundingClientRect();
        const canvas = box(document.getElementById('heat')!);
        const title = (id: string) => ({ text: document.getElementById(id)?.textContent, box: box(document.getElementById(id)!) });
        return {
          canvas: { left: canvas.left, top: canvas.top, right: canvas.right, bottom: canvas.bottom },
          ytitle: title('heat-ytitle'), xtitle: title('heat-xtitle'),
          yticks: [...document.querySelectorAll('#heat-yticks span')].map((e) => ({ text: e.textContent, mid: (box(e).top + box(e).bottom) / 2, right: box(e).right, w: box(e).width })),
          xticks: [...document.querySelectorAll('#heat-xticks span')].map((e) => ({ text: e.textContent, mid: (box(e).left + box(e).right) / 2, top: box(e).top, h: box(e).height })),
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
      const { canvas, ytitle, xtitle, yticks, xticks } = axes;
      expect(ytitle.text).toBe('true class');
      expect(ytitle.box.right).toBeLessThanOrEqual(canvas.left);
      expect(ytitle.box.height).toBeGreaterThan(ytitle.box.width); // written vertically
      expect(xtitle.text).toBe('predicted class');
      expect(xtitle.box.top).toBeGreaterThanOrEqual(canvas.bottom);
      expect(yticks.map((t) => t.text)).toEqual(classNames);
      expect(xticks.map((t) => t.text)).toEqual(classNames);
      yticks.forEach((t, i) => {
        expect(Math.abs(t.mid - (canvas.top + 1 + 60 * i + 30))).toBeLessThan(2);
        expect(t.right).toBeLessThanOrEqual(canvas.left);
        expect(t.w).toBeGreaterThan(10);
      });
      xticks.forEach((t, i) => {
        expect(Math.abs(t.mid - (canvas.left + 1 + 60 * i + 30))).toBeLessThan(2);
        expect(t.top).toBeGreaterThanOrEqual(canvas.bottom - 1);
        expect(t.h).toBeGreaterThan(10);
      });
      mkdirSync(new URL('../test-results/', import.meta.url), { recursive: true });
      const shot = await page.screenshot({ path: new URL('../test-results/html-report.png', import.meta.url).pathname, fullPage: true });
      expect(shot.length).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });
});
