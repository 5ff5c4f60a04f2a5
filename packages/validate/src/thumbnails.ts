/**
 * Small PNG thumbnails of dataset images as `data:` URIs, for the offline HTML report: the C×H×W
 * uint8 planes are interleaved and encoded by sharp, upscaled with nearest-neighbour when the image
 * is smaller than the thumbnail (CIFAR's 32×32) so pixels stay visible.
 */
import sharp from 'sharp';
import type { ImageSet } from './image-set.js';
import { isImageSource, type ImageSource } from './image-source.js';

/** A PNG data URI of image `index` of `set` (a lazy source reads just that image), `size` pixels on its longer side. */
export async function thumbnailDataUri(set: ImageSet | ImageSource, index: number, size = 64): Promise<string> {
  const { channels, height, width } = set;
  const plane = height * width;
  const [pixels, base] = isImageSource(set) ? [await set.read(index, index + 1), 0] : [set.pixels, index * channels * plane];
  const hwc = new Uint8Array(channels * plane);
  for (let p = 0, i = 0; p < plane; p++) for (let c = 0; c < channels; c++, i++) hwc[i] = pixels[base + c * plane + p]!;
  const scale = size / Math.max(width, height);
  const png = await sharp(hwc, { raw: { width, height, channels: channels as 1 | 3 | 4 } })
    .resize({ width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), kernel: scale >= 1 ? 'nearest' : 'linear' })
    .png()
    .toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** Thumbnails of the given images, keyed by image index. */
export async function thumbnails(set: ImageSet | ImageSource, indices: readonly number[], size = 64): Promise<Record<number, string>> {
  const out: Record<number, string> = {};
  for (const i of indices) out[i] = await thumbnailDataUri(set, i, size);
  return out;
}
