/**
 * Reads the image input an ONNX model declares and plans how validation feeds it: the layout
 * (NCHW, or channel-last NHWC when the last dimension is the data's channel count and the second
 * is not) and the batch size (a fixed leading dimension is the batch size every run must use).
 * A declared shape the data cannot fill is one sentence naming both shapes, before onnxruntime runs.
 */
import { ModelError } from '@onebit/core';
import { decodeModel } from '@onebit/onnx';

export type InputLayout = 'NCHW' | 'NHWC';

/** How validation feeds the model. */
export interface InputPlan {
  readonly name: string;
  readonly layout: InputLayout;
  /** The fixed batch size the model declares; undefined when its batch dimension is free. */
  readonly fixedBatch?: number;
}

/** The images' geometry: channels × height × width. */
export interface ImageGeometry {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

const show = (dims: readonly (number | string | undefined)[]): string => `[${dims.map((d) => (typeof d === 'number' ? d : (d ?? '?'))).join(', ')}]`;
const fits = (declared: number | string | undefined, actual: number): boolean => typeof declared !== 'number' || declared === actual;

/**
 * Plans the feeding of `model` (ONNX bytes; its first graph input that is not an initializer) with
 * `images`. Throws ModelError when the input is not float32, not 4-D, or its fixed dimensions match
 * the images in neither NCHW nor NHWC order. An input without declared dims is taken as NCHW.
 */
export function planModelInput(model: Uint8Array, images: ImageGeometry): InputPlan {
  const g = decodeModel(model, 'the model').graph;
  const initializers = new Set(g.initializers.map((i) => i.name));
  const input = g.inputs.find((v) => !initializers.has(v.name));
  if (!input) throw new ModelError('The model declares no graph input that is not an initializer; validation needs an image input.');
  const { channels: c, height: h, width: w } = images;
  const data = `the data provides ${c}×${h}×${w} images (channels×height×width)`;
  if (input.elemType !== 'float32') throw new ModelError(`The model's input "${input.name}" is ${input.elemType} but validation feeds float32 images, so it cannot validate this model.`, input.name);
  const dims = input.dims;
  if (dims === undefined) return { name: input.name, layout: 'NCHW' };
  if (dims.length !== 4) {
    throw new ModelError(`The model's input "${input.name}" has shape ${show(dims)}, not a 4-D batch of images [N, C, H, W] or [N, H, W, C], while ${data}.`, input.name);
  }
  const [n, d1, d2, d3] = dims;
  const fixedBatch = typeof n === 'number' && n > 0 ? n : undefined;
  const batch = fixedBatch !== undefined ? { fixedBatch } : {};
  const nchw = fits(d1, c) && fits(d2, h) && fits(d3, w);
  const nhwc = typeof d3 === 'number' && d3 === c && fits(d1, h) && fits(d2, w);
  // NCHW unless the channel count sits last and not second (ONNX's and PyTorch's convention is NCHW).
  if (nhwc && !(typeof d1 === 'number' && d1 === c && nchw)) return { name: input.name, layout: 'NHWC', ...batch };
  if (nchw) return { name: input.name, layout: 'NCHW', ...batch };
  throw new ModelError(
    `The model's input "${input.name}" expects ${show(dims)} (NCHW, or NHWC with the channels last) but ${data}; use images the model was made for (--size and --crop resize an image folder) or a model made for these images.`,
    input.name,
  );
}

/**
 * Reorders `count` NCHW float images of `channels`×`plane` values into NHWC in `out` (PyTorch's
 * `permute(0, 2, 3, 1)`), returning the filled part of `out`.
 */
export function toChannelsLast(src: Float32Array, count: number, channels: number, plane: number, out: Float32Array): Float32Array {
  const size = channels * plane;
  for (let i = 0; i < count; i++) {
    const base = i * size;
    for (let c = 0; c < channels; c++) {
      const from = base + c * plane;
      for (let p = 0; p < plane; p++) out[base + p * channels + c] = src[from + p]!;
    }
  }
  return out.subarray(0, count * size);
}
