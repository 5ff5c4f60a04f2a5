/**
 * What CI validated is what deployment computes: the same image files go through validation's
 * pipeline (@onebit/validate loadPixels + applyPreprocess), the Node runtime's `imageToInput` and
 * the browser runtime's `imageToInput` in headless Chromium, and the float32 input tensors must be
 * identical bit for bit. Files: ImageNet validation JPEGs (imagenet preset, shorter side → 256,
 * crop 224), CIFAR-10 test images as PNG (raw255 and cifar-wrn, no geometry), a 96×96 PNG shrunk
 * to 32×32 (the downscale the issue measured 582 differing values on) and a 50×31 PNG.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyPreprocess, customPreprocess, getPreprocess, type PreprocessPreset } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { loadPixels } from '@onebit/validate';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageToInput } from './node.js';

const CHROMIUM = '/usr/bin/chromium';
const IMAGENET = 'datasets/imagenet/val-1300-resized-227';

interface Case { name: string; bytes: Uint8Array; preset: PreprocessPreset; shape: [number, number, number] }

async function cases(): Promise<Case[]> {
  const out: Case[] = [];
  const imagenet = getPreprocess('imagenet');
  for (const f of ['ILSVRC2012_val_00000347.JPEG', 'ILSVRC2012_val_00000355.JPEG', 'ILSVRC2012_val_00000361.JPEG']) {
    out.push({ name: f, bytes: new Uint8Array(readFileSync(sharedPath(`${IMAGENET}/${f}`))), preset: imagenet, shape: [3, 224, 224] });
  }
  const bin = readFileSync(sharedPath('datasets/cifar10/test_batch_0-999.bin'));
  for (let i = 0; i < 3; i++) {
    const rec = bin.subarray(i * 3073 + 1, (i + 1) * 3073);
    const hwc = new Uint8Array(3072);
    for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) hwc[p * 3 + c] = rec[c * 1024 + p]!;
    const png = new Uint8Array(await sharp(hwc, { raw: { width: 32, height: 32, channels: 3 } }).png().toBuffer());
    out.push({ name: `cifar ${i} raw255`, bytes: png, preset: getPreprocess('raw255'), shape: [3, 32, 32] });
    out.push({ name: `cifar ${i} cifar-wrn`, bytes: png, preset: getPreprocess('cifar-wrn'), shape: [3, 32, 32] });
    const big = new Uint8Array(await sharp(hwc, { raw: { width: 32, height: 32, channels: 3 } }).resize(96, 96, { kernel: 'cubic' }).png().toBuffer());
    out.push({ name: `cifar ${i} 96×96 → 32`, bytes: big, preset: customPreprocess(getPreprocess('raw255'), { resize: 32, crop: 32 }), shape: [3, 32, 32] });
  }
  const odd = new Uint8Array(50 * 31 * 3).map((_, i) => (i * 97) % 251);
  out.push({ name: '50×31 → 13, crop 11', bytes: new Uint8Array(await sharp(odd, { raw: { width: 50, height: 31, channels: 3 } }).png().toBuffer()), preset: customPreprocess(getPreprocess('unit'), { resize: 13, crop: 11 }), shape: [3, 11, 11] });
  return out;
}

/** Validation's tensor: loadPixels (decode + geometry) then the preset's normalisation. */
async function validateInput(c: Case): Promise<Float32Array> {
  const planes = await loadPixels(c.bytes, { ...(c.preset.resize !== undefined ? { resize: c.preset.resize } : {}), ...(c.preset.crop !== undefined ? { crop: c.preset.crop } : {}) }, c.name);
  return applyPreprocess(c.preset, planes.pixels, 3, planes.width * planes.height);
}

let all: Case[];
beforeAll(async () => {
  all = await cases();
});

describe('validate and the Node runtime compute the same input tensor', () => {
  it('for every file, bit for bit', async () => {
    for (const c of all) {
      const want = await validateInput(c);
      const got = await imageToInput(c.bytes, { preprocess: c.preset, inputShape: c.shape });
      expect([c.name, got.length]).toEqual([c.name, want.length]);
      expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer)), c.name).toBe(true);
    }
  });
});

describe.skipIf(!existsSync(CHROMIUM))('validate and the browser runtime in Chromium compute the same input tensor', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  const files = new Map<string, Uint8Array>();

  beforeAll(async () => {
    const runtimeDist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
    const coreDist = dirname(createRequire(import.meta.url).resolve('@onebit/core'));
    const page0 = `<!doctype html><script type="importmap">{"imports":{"@onebit/core":"/core/index.js"}}</script>
<script type="module">import { imageToInput } from '/runtime/browser-input.js'; window.imageToInput = imageToInput; window.ready = true;</script>`;
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const [, root, name] = /^\/(runtime|core|file)\/([\w.-]+)$/.exec(path) ?? [];
      const body = path === '/' ? page0 : root === 'file' ? files.get(name!) : root ? readFileSync(join(root === 'core' ? coreDist : runtimeDist, name!)) : undefined;
      if (body === undefined) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': path === '/' ? 'text/html' : path.endsWith('.js') ? 'text/javascript' : 'application/octet-stream' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
    page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction('window.ready === true', undefined, { timeout: 30_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('for every file (decoded by Chromium from a Blob), bit for bit', async () => {
    for (const [k, c] of all.entries()) {
      files.set(`f${k}`, c.bytes);
      const want = await validateInput(c);
      const got = await page.evaluate(async ([url, preprocess, inputShape]) => {
        const blob = await (await fetch(url)).blob();
        const input: Float32Array = await (window as unknown as { imageToInput(b: Blob, o: object): Promise<Float32Array> }).imageToInput(blob, { preprocess, inputShape });
        return Array.from(new Uint32Array(input.buffer));
      }, [`/file/f${k}`, c.preset, c.shape] as const);
      const bits = new Uint32Array(want.buffer);
      let differing = 0;
      for (let i = 0; i < bits.length; i++) if (got[i] !== bits[i]) differing++;
      expect([c.name, got.length, differing]).toEqual([c.name, bits.length, 0]);
    }
  }, 120_000);
});
