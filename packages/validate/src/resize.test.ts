/**
 * Tests of validation's geometry: Python-style rounding of crop offsets, the shorter-side size rule,
 * and loadPixels on small PNGs built here whose pixels say where they came from.
 */
import sharp from 'sharp';
import { FormatError } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import { RESIZE_KERNEL, describeGeometry, loadPixels, resizedSize, roundHalfEven } from './resize.js';

/** A width×height RGB PNG with R = x, G = y, B = 7. */
async function gradientPng(width: number, height: number): Promise<Uint8Array> {
  const raw = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set([x, y, 7], (y * width + x) * 3);
  return new Uint8Array(await sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer());
}

describe('geometry helpers', () => {
  it('rounds halves to even like Python and torchvision', () => {
    expect([0.5, 1.5, 2.5, 16.5, 17.5, 16, 16.4, 16.6].map(roundHalfEven)).toEqual([0, 2, 2, 16, 18, 16, 16, 17]);
  });

  it('resizes the shorter side and truncates the longer', () => {
    expect(resizedSize(227, 227, 256)).toEqual([256, 256]);
    expect(resizedSize(500, 375, 256)).toEqual([341, 256]);
    expect(resizedSize(375, 500, 256)).toEqual([256, 341]);
  });

  it('names sharp, libvips and the resize method', () => {
    expect(RESIZE_KERNEL).toBe('pillow-bilinear');
    expect(describeGeometry({ resize: 256, crop: 224 })).toMatch(/^shorter side → 256 \('pillow-bilinear' = Pillow 9\.4 BILINEAR reproduced exactly by @onebit\/core .*\), centre crop 224×224$/);
    expect(describeGeometry({ resize: 64, kernel: 'lanczos3' })).toMatch(/'lanczos3' sharp 0\.35\.\d+ \/ libvips 8\.\d+\.\d+ resize kernel\)$/);
  });
});

describe('loadPixels', () => {
  it('crops at round((W − crop)/2) without resizing and returns C×H×W planes', async () => {
    const { pixels, width, height, channels } = await loadPixels(await gradientPng(9, 6), { crop: 4 }, 'gradient.png');
    expect([width, height, channels]).toEqual([4, 4, 3]);
    // x offset round(2.5) = 2, y offset round(1) = 1.
    expect([...pixels.subarray(0, 4)]).toEqual([2, 3, 4, 5]);
    expect([...pixels.subarray(16, 32)]).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]);
    expect(pixels.subarray(32).every((v) => v === 7)).toBe(true);
  });

  it('enlarges like Pillow BILINEAR: a 1-D ramp 0, 100, 200, 255 doubled gives Pillow\'s values', async () => {
    // Pillow 9.4: Image.frombytes('L', (4, 1), bytes([0, 100, 200, 255])).resize((8, 1), Image.BILINEAR)
    // samples at (x + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, …, 3.25 with edge clamping: 0, 25, 75, 125, 175, 214, 241, 255.
    const raw = new Uint8Array([0, 100, 200, 255].flatMap((v) => [v, v, v]));
    const { pixels, width, height } = await loadPixels({ pixels: raw, width: 4, height: 1, channels: 3 }, { resize: 1 }, 'ramp');
    expect([width, height]).toEqual([4, 1]);
    const wide = new Uint8Array(4 * 4 * 3);
    for (let y = 0; y < 4; y++) wide.set(raw, y * 12);
    const up = await loadPixels({ pixels: wide, width: 4, height: 4, channels: 3 }, { resize: 8 }, 'ramp');
    expect([up.width, up.height]).toEqual([8, 8]);
    expect([...up.pixels.subarray(3 * 8, 4 * 8)]).toEqual([0, 25, 75, 125, 175, 214, 241, 255]);
    expect(pixels.length).toBe(12);
  });

  it('resizes a flat image to the same flat colour', async () => {
    const flat = new Uint8Array(await sharp({ create: { width: 30, height: 20, channels: 3, background: { r: 200, g: 100, b: 50 } } }).png().toBuffer());
    const { pixels, width, height } = await loadPixels(flat, { resize: 16, crop: 16 }, 'flat.png');
    expect([width, height]).toEqual([16, 16]);
    expect(new Set(pixels.subarray(0, 256))).toEqual(new Set([200]));
    expect(new Set(pixels.subarray(512))).toEqual(new Set([50]));
  });

  it('EXPECTED FAILURE: bytes that are not an image, and a crop larger than the image', async () => {
    await expect(loadPixels(new Uint8Array([1, 2, 3, 4]), {}, 'junk.jpg')).rejects.toThrow(FormatError);
    await expect(loadPixels(new Uint8Array([1, 2, 3, 4]), {}, 'junk.jpg')).rejects.toThrow(/^image: junk\.jpg could not be decoded: /);
    await expect(loadPixels(await gradientPng(9, 6), { crop: 8 }, 'small.png')).rejects.toThrow('image: small.png is 9×6 after resizing, smaller than the 8×8 crop.');
  });
});
