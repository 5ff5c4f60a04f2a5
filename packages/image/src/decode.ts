/**
 * Decoding image files for preprocessing in Node, the one decoder validation and @onebit/runtime's
 * Node entry share: PNG, JPEG, WebP, GIF, TIFF or AVIF bytes → interleaved 8-bit pixels with sharp
 * (libvips; its JPEG decoder gives the same pixels as Pillow's libjpeg), EXIF orientation applied (as
 * browsers do, so a page sees the same image), converted to sRGB with alpha dropped (or to grey).
 * The pixel count is read from the header and checked before anything is decoded, so a small file
 * declaring a huge image cannot take memory; decoding runs on libuv's thread pool, off the event loop.
 */
import sharp from 'sharp';
import { DEFAULT_MAX_IMAGE_PIXELS, FormatError, LimitError, type InterleavedImage } from '@onebit/core';

export interface DecodeOptions {
  /** 3 (RGB, default) or 1 (grey, libvips 'b-w'). */
  readonly channels?: 1 | 3;
  /** Refuse images with more pixels than this (default @onebit/core's DEFAULT_MAX_IMAGE_PIXELS, 4096²). */
  readonly maxPixels?: number;
  /** Names the image in errors (default: its byte count and first bytes). */
  readonly where?: string;
}

function describe(bytes: Uint8Array): string {
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `the ${bytes.length}-byte image starting ${head}`;
}

/**
 * Decodes `bytes` to `{width, height, channels, data}` (rows top to bottom, channels interleaved).
 * @throws LimitError when the header declares more than `maxPixels` pixels (nothing is decoded).
 * @throws FormatError('image') when the bytes are empty or not an image sharp can decode.
 */
export async function decodeImage(bytes: Uint8Array, options: DecodeOptions = {}): Promise<InterleavedImage & { channels: number }> {
  const where = options.where ?? describe(bytes);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_IMAGE_PIXELS;
  if (!(maxPixels >= 1)) throw new RangeError(`maxPixels must be at least 1, got ${maxPixels}.`);
  if (bytes.length === 0) throw new FormatError('image', `${options.where ?? 'the image'} is empty (0 bytes).`, 0);
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(bytes, { limitInputPixels: false }).metadata());
  } catch (cause) {
    throw new FormatError('image', `${where} could not be decoded: ${firstLine(cause)}.`, 0, { cause });
  }
  if (width !== undefined && height !== undefined && width * height > maxPixels) {
    throw new LimitError(`${where} is ${width}×${height} = ${width * height} pixels, more than the limit of ${maxPixels}; shrink it first or raise maxPixels.`);
  }
  try {
    let image = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' }).rotate();
    image = options.channels === 1 ? image.toColourspace('b-w') : image.toColourspace('srgb').removeAlpha();
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (cause) {
    throw new FormatError('image', `${where} could not be decoded: ${firstLine(cause)}.`, 0, { cause });
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim().replace(/\.$/, '');
}
