/**
 * How interleaved RGB(A) pixels become the model's float32 NCHW input: `(byte · scale − mean[c]) /
 * std[c]`, each step rounded to float32 (the same arithmetic as @onebit/validate's presets, so a
 * CIFAR image gives the validator's exact input). `raw255` is the authors' WRN convention (bytes
 * as 0..255 floats, their first batch-norm normalises); `unit` is bytes / 255.
 */
import { pixelTables, type PixelNormalization } from '@onebit/core';

/** The normalisation a preset applies (the shared definition of @onebit/core). */
export type PreprocessParams = PixelNormalization;

/** A preset name, or explicit parameters. */
export type PreprocessSpec = 'raw255' | 'unit' | 'cifar-wrn' | PreprocessParams;

const PRESETS: Readonly<Record<string, PreprocessParams>> = {
  raw255: { name: 'raw255', scale: 1, mean: [0], std: [1] },
  unit: { name: 'unit', scale: 1 / 255, mean: [0], std: [1] },
  'cifar-wrn': { name: 'cifar-wrn', scale: 1 / 255, mean: [125.3 / 255, 123.0 / 255, 113.9 / 255], std: [63.0 / 255, 62.1 / 255, 66.7 / 255] },
};

/** The parameters of `spec`; an unknown preset name is a RangeError listing the known ones. */
export function preprocessParams(spec: PreprocessSpec | string): PreprocessParams {
  if (typeof spec !== 'string') return spec;
  const p = PRESETS[spec];
  if (!p) throw new RangeError(`Unknown preprocessing "${spec}"; known: ${Object.keys(PRESETS).join(', ')}.`);
  return p;
}

/** One 256-entry float32 table per channel: every byte's preprocessed value (shared with @onebit/validate). */
export function preprocessTables(params: PreprocessParams, channels: number): Float32Array[] {
  return pixelTables(params, channels, 'the model inputs');
}

/**
 * Writes one image of `width × height` interleaved pixels with `stride` bytes per pixel (3 RGB or
 * 4 RGBA; alpha is dropped) into `out` as planar C×H×W floats starting at `offset`.
 */
export function toPlanar(pixels: Uint8Array | Uint8ClampedArray, width: number, height: number, stride: number, tables: readonly Float32Array[], out: Float32Array, offset = 0): void {
  const plane = width * height;
  if (pixels.length !== plane * stride) throw new RangeError(`${pixels.length} bytes are not ${width}×${height} pixels of ${stride} bytes.`);
  for (let c = 0; c < tables.length; c++) {
    const table = tables[c]!;
    const base = offset + c * plane;
    for (let i = 0, p = c; i < plane; i++, p += stride) out[base + i] = table[pixels[p]!]!;
  }
}
