/**
 * Browser image input: ImageData and raw `{width, height, data}` pixels pass through; images,
 * canvases, bitmaps and Blobs (a dropped or picked file) are drawn at their natural size onto a
 * canvas (an OffscreenCanvas where there is one, so this also runs in a worker) and read back as
 * RGBA. Resizing to the model's input happens later in the shared code, as in Node.
 */
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

function draw(source: Drawable, width: number, height: number): RgbImage {
  if (!(width > 0 && height > 0)) throw new ImageDecodeError(`The image has size ${width}×${height}; it has not loaded or is empty.`);
  const ctx = context(width, height);
  ctx.drawImage(source, 0, 0);
  const { data } = ctx.getImageData(0, 0, width, height);
  return { width, height, channels: 4, data };
}

export async function browserPixels(image: BrowserImage): Promise<RgbImage> {
  if (typeof Blob !== 'undefined' && image instanceof Blob) {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(image);
    } catch (cause) {
      throw new ImageDecodeError(`The ${image.size}-byte ${image.type || 'file'} could not be decoded as an image.`, { cause });
    }
    try {
      return draw(bitmap, bitmap.width, bitmap.height);
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
    return draw(image, image.naturalWidth, image.naturalHeight);
  }
  if ('data' in image) return image;
  const drawable = image as Drawable;
  return draw(drawable, drawable.width, drawable.height);
}
