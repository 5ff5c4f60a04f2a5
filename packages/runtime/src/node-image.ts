/**
 * Node image input: encoded bytes (PNG, JPEG, WebP, GIF, TIFF, AVIF) are decoded with sharp to
 * 8-bit RGB at their own size (EXIF orientation applied, alpha dropped, greyscale expanded to RGB);
 * raw `{width, height, data}` pixels pass through. Resizing happens later, in the shared code.
 */
import { ImageDecodeError } from './errors.js';
import { importPeer } from './peer-import.js';
import type { RgbImage } from './types.js';

/** What the Node entry accepts as an image. */
export type NodeImage = Uint8Array | ArrayBuffer | RgbImage;

/** Refuse images above this many pixels before decoding them (a decompression-bomb guard). */
export const MAX_IMAGE_PIXELS = 50_000_000;

export async function decodeNodeImage(image: NodeImage): Promise<RgbImage> {
  if (!(image instanceof Uint8Array) && !(image instanceof ArrayBuffer)) {
    if (image && typeof image === 'object' && 'data' in image && 'width' in image && 'height' in image) return image;
    throw new TypeError(`An image must be encoded bytes or {width, height, data} pixels, not ${Object.prototype.toString.call(image)}.`);
  }
  const bytes = image instanceof ArrayBuffer ? new Uint8Array(image) : image;
  if (bytes.length === 0) throw new ImageDecodeError('The image is empty (0 bytes).');
  const { default: sharp } = await importPeer('sharp', 'Decoding image bytes in Node', () => import('sharp'));
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' })
      .rotate()
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (cause) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    const why = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0]!.trim();
    throw new ImageDecodeError(`The ${bytes.length}-byte image starting ${head} could not be decoded: ${why}.`, { cause });
  }
}
