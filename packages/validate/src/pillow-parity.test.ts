/**
 * The preprocessing geometry validation uses (@onebit/core's toPlanes behind loadPixels) against
 * Pillow 9.4 itself: SHA-256 of the C×H×W planes torchvision's Resize + CenterCrop give on shared
 * ImageNet JPEGs and synthetic images (test-data/pillow/make_pillow_golden.py), for enlarging,
 * shrinking by non-integer factors and a 700×3 strip. Bit-exact, not "close".
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { loadPixels } from './resize.js';

interface Golden {
  pillow: string;
  images: { file?: string; synthetic?: [number, number]; results: { resize: number; crop: number | null; width: number; height: number; sha256: string }[] }[];
}
const golden = JSON.parse(readFileSync(new URL('../test-data/pillow/pillow-golden.json', import.meta.url), 'utf8')) as Golden;

/** The synthetic image of make_pillow_golden.py: R = 7x, G = 13y, B = xy (mod 256). */
function synthetic(w: number, h: number): { pixels: Uint8Array; width: number; height: number; channels: number } {
  const pixels = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) pixels.set([(x * 7) % 256, (y * 13) % 256, (x * y) % 256], (y * w + x) * 3);
  return { pixels, width: w, height: h, channels: 3 };
}

describe('preprocessing geometry is bit-exact with Pillow 9.4 BILINEAR + torchvision CenterCrop', () => {
  expect(golden.pillow).toBe('9.4.0');
  for (const image of golden.images) {
    const name = image.file ?? `synthetic ${image.synthetic!.join('×')}`;
    it(name, async () => {
      const input = image.file ? new Uint8Array(readFileSync(sharedPath(`datasets/imagenet/val-1300-resized-227/${image.file}`))) : synthetic(...image.synthetic!);
      for (const r of image.results) {
        const got = await loadPixels(input, { resize: r.resize, ...(r.crop ? { crop: r.crop } : {}) }, name);
        expect([got.width, got.height, `${r.resize}/${r.crop}`]).toEqual([r.width, r.height, `${r.resize}/${r.crop}`]);
        expect(createHash('sha256').update(got.pixels).digest('hex')).toBe(r.sha256);
      }
    });
  }
});
