/**
 * CIFAR-10 test images from the shared test batch written as PNG files, for tests that run the
 * README's examples on a real image (`cat.png` is test image 0, a cat).
 */
import { readFileSync } from 'node:fs';
import { sharedPath } from '@onebit/data';
import sharp from 'sharp';

/** Writes CIFAR-10 test image `index` (label byte + 32×32 R, G, B planes) as a PNG at `path`; returns its label (0–9). */
export async function cifarPng(index: number, path: string): Promise<number> {
  const record = readFileSync(sharedPath('datasets/cifar10/test_batch_0-999.bin')).subarray(index * 3073, (index + 1) * 3073);
  const rgb = Buffer.alloc(3072);
  for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = record[1 + c * 1024 + p]!;
  await sharp(rgb, { raw: { width: 32, height: 32, channels: 3 } }).png().toFile(path);
  return record[0]!;
}
