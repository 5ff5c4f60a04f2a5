/**
 * Lazy data sets bound memory by the batch: a sharded validation of an image folder decodes only its
 * shard's files (counted at the decoder, and the other files are not even images), asks the source
 * for one batch at a time, and gives the same report as the same images in memory; CIFAR and MNIST
 * files opened lazily read the same pixels, labels and digests as when read whole, and name a bad
 * label by its image and file offset from any chunk.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { FormatError } from '@onebit/core';
import * as image from '@onebit/image';
import { sharedPath } from '@onebit/data';
import { describe, expect, it, vi } from 'vitest';
import { openCifar, readCifar } from './cifar.js';
import type { ImageSource } from './image-source.js';
import { loadImageSet, openImageSet } from './load-image-set.js';
import { readMnist } from './mnist.js';
import { validateModel } from './validate-model.js';

vi.mock('@onebit/image', async (importOriginal) => {
  const original = await importOriginal<typeof import('@onebit/image')>();
  return { ...original, decodeImage: vi.fn(original.decodeImage) };
});

const meanRgb = new Uint8Array(readFileSync(new URL('../test-data/mean-rgb.onnx', import.meta.url)));

/** A folder of 12 labelled 8×8 PNGs of solid colours; the files of images outside [good0, good1) hold text, not an image. */
async function folder(good0: number, good1: number): Promise<{ dir: string; colours: number[][] }> {
  const dir = mkdtempSync(join(tmpdir(), 'onebit-lazy-folder-'));
  const colours = Array.from({ length: 12 }, (_, i) => [(i * 40) % 256, (i * 90 + 30) % 256, 255 - i * 20]);
  const lines = ['filename,class_index'];
  for (let i = 0; i < 12; i++) {
    const file = `img${String(i).padStart(2, '0')}.png`;
    const [r, g, b] = colours[i]!;
    const bytes = i >= good0 && i < good1 ? await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: r!, g: g!, b: b! } } }).png().toBuffer() : Buffer.from('not an image');
    writeFileSync(join(dir, file), bytes);
    lines.push(`${file},${i % 10}`);
  }
  writeFileSync(join(dir, 'labels.csv'), `${lines.join('\n')}\n`);
  return { dir, colours };
}

describe('a sharded run on an image folder', () => {
  it('decodes only its shard\'s 4 files, one batch of 2 at a time, and scores them as the same images in memory', async () => {
    const { dir, colours } = await folder(4, 8);
    const source = await openImageSet(dir, { geometry: { crop: 8 } });
    const reads: Array<[number, number]> = [];
    const counted: ImageSource = { ...source, read: (s, e) => (reads.push([s, e]), source.read(s, e)) };
    const decode = vi.mocked(image.decodeImage);
    decode.mockClear();
    const report = await validateModel({ model: meanRgb, data: counted, preprocess: 'raw255', threads: 1, batchSize: 2, shard: { index: 2, count: 3 } });
    expect(decode).toHaveBeenCalledTimes(4);
    expect(decode.mock.calls.map(([, o]) => o?.where).sort()).toEqual([4, 5, 6, 7].map((i) => join(dir, `img0${i}.png`)));
    expect(reads).toEqual([[4, 6], [6, 8]]);
    expect(report.range).toEqual({ start: 4, end: 8, total: 12, shard: { index: 2, count: 3 } });
    expect(report.labels).toEqual([4, 5, 6, 7]);

    // The same four images built in memory (C×H×W planes of solid colour) give the same scores.
    const pixels = new Uint8Array(12 * 3 * 64);
    colours.forEach((c, i) => c.forEach((v, ch) => pixels.fill(v, (i * 3 + ch) * 64, (i * 3 + ch + 1) * 64)));
    const inMemory = await validateModel({ model: meanRgb, data: { n: 12, channels: 3, height: 8, width: 8, pixels, labels: source.labels }, preprocess: 'raw255', threads: 1, batchSize: 2, shard: { index: 2, count: 3 } });
    expect(report.topK).toEqual(inMemory.topK);
    expect(report.predictions).toEqual(inMemory.predictions);
  });

  it('EXPECTED FAILURE: the unsharded run reaches the first file that is not an image and names it', async () => {
    const { dir } = await folder(4, 8);
    const source = await openImageSet(dir, { geometry: { crop: 8 } });
    await expect(validateModel({ model: meanRgb, data: source, preprocess: 'raw255', threads: 1, batchSize: 2 })).rejects.toThrow(FormatError);
    await expect(source.read(0, 1)).rejects.toThrow(join(dir, 'img00.png'));
  });
});

describe('CIFAR and MNIST opened lazily', () => {
  const cifarPath = sharedPath('datasets/cifar10/test_batch_0-999.bin');

  it('CIFAR-10: the same labels, pixels of any batch and digest as reading the whole file', async () => {
    const whole = readCifar(new Uint8Array(readFileSync(cifarPath)));
    const lazy = await openCifar(cifarPath);
    expect([lazy.variant, lazy.n]).toEqual(['cifar10', 1000]);
    expect([...lazy.labels]).toEqual([...whole.labels]);
    expect(await lazy.read(997, 1000)).toEqual(whole.pixels.subarray(997 * 3072, 1000 * 3072));
    expect([...(await lazy.read(0, 1)).subarray(0, 5)]).toEqual([158, 159, 165, 166, 160]); // image 0, red, top row
    expect(lazy.digest.sha256).toBe('8314c96d7cd65618193bab23acdd5d4c4af15bf6dd00a1781d55beedf3be1ef5'); // sha256sum test_batch_0-999.bin
    await expect(lazy.read(999, 1001)).rejects.toThrow('images [999, 1001) are not a range of the 1000 images.');
  });

  it('CIFAR-10 resized per batch equals the whole set resized (shorter side 40, centre crop 36)', async () => {
    const geometry = { resize: 40, crop: 36 };
    const whole = await loadImageSet(cifarPath, { geometry, range: () => [0, 6] });
    const lazy = await openImageSet(cifarPath, { geometry });
    expect([lazy.channels, lazy.height, lazy.width]).toEqual([3, 36, 36]);
    expect(await lazy.read(3, 6)).toEqual(whole.pixels.subarray(3 * 3 * 36 * 36, 6 * 3 * 36 * 36));
  });

  it('MNIST: the same labels and pixels as reading both files whole', async () => {
    const imagesPath = sharedPath('datasets/mnist/t10k-images-idx3-ubyte');
    const whole = readMnist(new Uint8Array(readFileSync(imagesPath)), new Uint8Array(readFileSync(sharedPath('datasets/mnist/t10k-labels-idx1-ubyte'))));
    const lazy = await openImageSet(imagesPath);
    expect([lazy.format, lazy.n, lazy.channels, lazy.height, lazy.width]).toEqual(['mnist', 10000, 1, 28, 28]);
    expect([...lazy.labels].slice(-5)).toEqual([...whole.labels].slice(-5));
    expect(await lazy.read(9998, 10000)).toEqual(whole.pixels.subarray(9998 * 784));
  });

  it('EXPECTED FAILURE: a bad label past the first chunk is named by its image and file offset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onebit-lazy-cifar-'));
    const bytes = new Uint8Array(2000 * 3073);
    bytes[1500 * 3073] = 10;
    writeFileSync(join(dir, 'bad.bin'), bytes);
    await expect(openCifar(join(dir, 'bad.bin'))).rejects.toThrow(`CIFAR: label 10 of image 1500 at byte ${1500 * 3073} is not below 10 (is this a cifar10 file?).`);
    expect(() => readCifar(bytes)).toThrow(`CIFAR: label 10 of image 1500 at byte ${1500 * 3073} is not below 10 (is this a cifar10 file?).`);
  });
});
