/**
 * Fitting one decoded image to the model's input: infers its channel count, checks it against the
 * model, and resizes (resize.ts) or refuses with InputSizeError when the size differs.
 */
import { InputSizeError } from './errors.js';
import { resizeImage } from './resize.js';
import type { RgbImage } from './types.js';

export interface FittedPixels {
  readonly data: Uint8Array | Uint8ClampedArray;
  /** Bytes per pixel in `data`. */
  readonly stride: number;
}

/** `image` as `width × height` pixels with at least `channels` channels each. */
export function fitImage(image: RgbImage, channels: number, width: number, height: number, mode: 'resize' | 'error'): FittedPixels {
  const { width: w, height: h, data } = image;
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 1 || h < 1) {
    throw new InputSizeError(`The image size ${w}×${h} is not a positive whole number of pixels.`, w, h, 0);
  }
  const stride = image.channels ?? data.length / (w * h);
  if (!Number.isInteger(stride) || data.length !== w * h * stride) {
    throw new InputSizeError(`The image has ${data.length} bytes, which is not ${w}×${h} pixels of ${image.channels ?? '1, 3 or 4'} bytes.`, w, h, stride);
  }
  const usable = stride === 4 ? 3 : stride; // RGBA's alpha is ignored
  if (usable !== channels) {
    throw new InputSizeError(`The image has ${stride} channel${stride === 1 ? '' : 's'} per pixel but the model needs ${channels}.`, w, h, stride);
  }
  if (w === width && h === height) return { data, stride };
  if (mode === 'error') {
    throw new InputSizeError(`The image is ${w}×${h} but the model needs ${width}×${height} (resizing is off).`, w, h, stride);
  }
  return { data: resizeImage(data, w, h, stride, width, height), stride };
}
