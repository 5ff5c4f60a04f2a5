/**
 * Browser image input: ImageData and raw `{width, height, data}` pixels pass through; images,
 * canvases, bitmaps and Blobs (a dropped or picked file) are drawn at their natural size onto a
 * canvas (an OffscreenCanvas where there is one, so this also runs in a worker) and read back as
 * RGBA. Blobs are decoded with EXIF orientation applied and no colour-space conversion or alpha
 * premultiplication, so an opaque sRGB file gives the bytes Node's decoder gives. The pixel bound is
 * checked before the canvas is allocated (the browser has already decoded a Blob by then). The
 * geometry and normalisation happen later in @onebit/core, as in Node and in validation.
 */
import { LimitError } from '@onebit/core';
import { ImageDecodeError } from './errors.js';
import type { RgbImage } from './types.js';

/** What the browser entry accepts as an image. */
export type BrowserImage = RgbImage | ImageData | ImageBitmap | HTMLImageElement | HTMLCanvasElement | OffscreenCanvas | Blob;

type Drawable = ImageBitmap | HTMLImageElement | HTMLCanvasElement | OffscreenCanvas;

function context(width: number, height: number): OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D {
  if (typeof OffscreenCanvas !== 'undefined') {
    const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (ctx) return ctx;
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new ImageDecodeError('The browser gave no 2D canvas context to read the image pixels.');
  return ctx;
}

function checkPixels(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) throw new LimitError(`The ${width}×${height} image has ${width * height} pixels, more than the limit of ${maxPixels}; shrink it first or raise maxImagePixels.`);
}

function draw(source: Drawable, width: number, height: number, maxPixels: number): RgbImage {
  if (!(width > 0 && height > 0)) throw new ImageDecodeError(`The image has size ${width}×${height}; it has not loaded or is empty.`);
  checkPixels(width, height, maxPixels);
  const ctx = context(width, height);
  ctx.drawImage(source, 0, 0);
  const { data } = ctx.getImageData(0, 0, width, height);
  return { width, height, channels: 4, data };
}

/**
 * The pixels of `image` (RGBA from a canvas, or the caller's raw pixels).
 * @throws LimitError past `maxPixels`; ImageDecodeError when the browser cannot decode it.
 */
export async function browserPixels(image: BrowserImage, maxPixels: number): Promise<RgbImage> {
  if (typeof Blob !== 'undefined' && image instanceof Blob) {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(image, { imageOrientation: 'from-image', colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
    } catch (cause) {
      throw new ImageDecodeError(`The ${image.size}-byte ${image.type || 'file'} could not be decoded as an image.`, { cause });
    }
    try {
      return draw(bitmap, bitmap.width, bitmap.height, maxPixels);
    } finally {
      bitmap.close();
    }
  }
  if (typeof HTMLImageElement !== 'undefined' && image instanceof HTMLImageElement) {
    try {
      await image.decode();
    } catch (cause) {
      throw new ImageDecodeError(`The image ${image.currentSrc || image.src} could not be decoded.`, { cause });
    }
    return draw(image, image.naturalWidth, image.naturalHeight, maxPixels);
  }
  if ('data' in image) {
    checkPixels(image.width, image.height, maxPixels);
    return image;
  }
  const drawable = image as Drawable;
  return draw(drawable, drawable.width, drawable.height, maxPixels);
}
