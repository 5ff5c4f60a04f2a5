/**
 * Node image input: encoded bytes (PNG, JPEG, WebP, GIF, TIFF, AVIF) are decoded by @onebit/image,
 * the decoder validation uses too (sharp, an optional peer dependency imported on first use; EXIF
 * orientation applied, sRGB, alpha dropped; the pixel count checked from the header before decoding,
 * off the event loop); raw `{width, height, data}` pixels pass through after the same pixel bound.
 * Geometry and normalisation happen later, in @onebit/core.
 */
import { FormatError, LimitError } from '@onebit/core';
import { ImageDecodeError } from './errors.js';
import { importPeer } from './peer-import.js';
import type { RgbImage } from './types.js';

/** What the Node entry accepts as an image. */
export type NodeImage = Uint8Array | ArrayBuffer | RgbImage;

/**
 * Decodes `image` to interleaved pixels.
 * @throws LimitError past `maxPixels`; ImageDecodeError for bytes that are not a decodable image;
 * MissingDependencyError without sharp; TypeError for another value.
 */
export async function decodeNodeImage(image: NodeImage, maxPixels: number): Promise<RgbImage> {
  if (!(image instanceof Uint8Array) && !(image instanceof ArrayBuffer)) {
    if (image && typeof image === 'object' && 'data' in image && 'width' in image && 'height' in image) {
      if (image.width * image.height > maxPixels) throw new LimitError(`The ${image.width}×${image.height} image has ${image.width * image.height} pixels, more than the limit of ${maxPixels}; shrink it first or raise maxImagePixels.`);
      return image;
    }
    throw new TypeError(`An image must be encoded bytes or {width, height, data} pixels, not ${Object.prototype.toString.call(image)}.`);
  }
  const bytes = image instanceof ArrayBuffer ? new Uint8Array(image) : image;
  if (bytes.length === 0) throw new ImageDecodeError('The image is empty (0 bytes).');
  // @onebit/image imports sharp statically, so a missing sharp surfaces here.
  const { decodeImage } = await importPeer('sharp', 'Decoding image bytes in Node', () => import('@onebit/image'));
  try {
    return await decodeImage(bytes, { maxPixels });
  } catch (e) {
    if (e instanceof FormatError) throw new ImageDecodeError(e.message.replace(/^image: t/, 'T'), { cause: e });
    if (e instanceof LimitError) throw new LimitError(e.message.replace(/^t/, 'T').replace('raise maxPixels', 'raise maxImagePixels'));
    throw e;
  }
}
