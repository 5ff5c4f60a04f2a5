/**
 * The model input an image becomes, without a model: decode (the entry's decoder), then the shared
 * preprocessing of prepare-input.ts. Exported by both entries as `imageToInput`, so a caller (or a
 * parity test) can see the exact float32 tensor `classify` feeds onnxruntime.
 */
import { DEFAULT_MAX_IMAGE_PIXELS } from '@onebit/core';
import { prepareInput } from './prepare-input.js';
import { preprocessPreset, type PreprocessSpec } from './preprocess.js';
import type { RgbImage } from './types.js';

export interface ImageInputOptions {
  /** A preset name or parameters (see LoadOptions.preprocess). */
  readonly preprocess: PreprocessSpec;
  /** [channels, height, width] of the model input. */
  readonly inputShape: readonly [number, number, number];
  readonly resize?: 'resize' | 'error';
  readonly maxImagePixels?: number;
}

/** `imageToInput` for one entry: its decoder bound in. */
export function imageToInputWith<I>(toPixels: (image: I, maxPixels: number) => Promise<RgbImage>) {
  /**
   * The float32 C×H×W input `image` gives under `options` (what classify would feed the model).
   * @throws the entry's decode errors, LimitError past maxImagePixels, InputSizeError when it cannot fit.
   */
  return async function imageToInput(image: I, options: ImageInputOptions): Promise<Float32Array> {
    const [c, h, w] = options.inputShape;
    const out = new Float32Array(c * h * w);
    prepareInput(await toPixels(image, options.maxImagePixels ?? DEFAULT_MAX_IMAGE_PIXELS), preprocessPreset(options.preprocess), options.inputShape, options.resize ?? 'resize', out, 0);
    return out;
  };
}
