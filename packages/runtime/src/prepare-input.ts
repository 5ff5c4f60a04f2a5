/**
 * One decoded image → the model's float32 C×H×W input, with @onebit/core's shared preprocessing:
 * the preset's geometry (shorter side → `resize` with Pillow's bilinear filter, centre crop) when it
 * has one; otherwise an image of another size than the model's input is stretched to it with the
 * same filter (`resize: 'resize'`, the default) or refused (`'error'`); then the preset's
 * normalisation tables, channel planes in RGB order.
 */
import { applyPreprocess, toPlanes, type InterleavedImage, type PreprocessPreset } from '@onebit/core';
import { InputSizeError } from './errors.js';

/**
 * Writes the model input for `image` into `out` at `offset` (C·H·W float32 values).
 * @throws InputSizeError when the channels cannot match, or the size differs and cannot be made to fit.
 */
export function prepareInput(image: InterleavedImage, preset: PreprocessPreset, [channels, height, width]: readonly [number, number, number], resize: 'resize' | 'error', out: Float32Array, offset: number): void {
  const { width: w, height: h, data } = image;
  const stride = image.channels ?? data.length / (w * h);
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 1 || h < 1) throw new InputSizeError(`The image size ${w}×${h} is not a positive whole number of pixels.`, w, h, 0);
  if (!Number.isInteger(stride) || stride < 1 || data.length !== w * h * stride) {
    throw new InputSizeError(`The image has ${data.length} bytes, which is not ${w}×${h} pixels of ${image.channels ?? '1, 3 or 4'} bytes.`, w, h, stride);
  }
  if (![1, 3, 4].includes(stride) || (channels !== 1 && channels !== 3) || (channels === 1 && stride !== 1)) {
    throw new InputSizeError(`The image has ${stride} channel${stride === 1 ? '' : 's'} per pixel but the model needs ${channels}.`, w, h, stride);
  }
  let geometry: { resize?: number; crop?: number; size?: [number, number] } = {};
  if (preset.resize !== undefined || preset.crop !== undefined) {
    geometry = { ...(preset.resize !== undefined ? { resize: preset.resize } : {}), ...(preset.crop !== undefined ? { crop: preset.crop } : {}) };
  } else if (w !== width || h !== height) {
    if (resize === 'error') throw new InputSizeError(`The image is ${w}×${h} but the model needs ${width}×${height} (resizing is off).`, w, h, stride);
    geometry = { size: [width, height] };
  }
  let planes;
  try {
    planes = toPlanes(image, geometry, channels, `the ${w}×${h} image`);
  } catch (e) {
    throw new InputSizeError(e instanceof Error ? e.message.replace(/^image: t/, 'T') : String(e), w, h, stride);
  }
  if (planes.width !== width || planes.height !== height) {
    throw new InputSizeError(`Preprocessing "${preset.name}" makes the ${w}×${h} image ${planes.width}×${planes.height} but the model needs ${width}×${height}.`, w, h, stride);
  }
  applyPreprocess(preset, planes.pixels, channels, width * height, out.subarray(offset, offset + planes.pixels.length));
}
