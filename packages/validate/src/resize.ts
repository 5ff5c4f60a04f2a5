/**
 * Image geometry for preprocessing, done with sharp (libvips): decode a JPEG/PNG (or take raw
 * pixels), resize so the shorter side is `resize` pixels, centre-crop `crop`×`crop`, and return the
 * uint8 pixels as C×H×W planes. The reference used Pillow 9.4 `Image.BILINEAR`. The default method,
 * 'pillow-bilinear', reproduces it byte for byte with @onebit/core's `resizeBilinearPillow` (sharp
 * decodes; libvips' own resamplers round differently from Pillow, and differently on different CPUs).
 * sharp's plain `resize` kernels are selectable for comparison.
 * Crop offsets follow torchvision: `round((W − crop)/2)` with Python's half-to-even round.
 */
import sharp from 'sharp';
import { FormatError, resizeBilinearPillow } from '@onebit/core';

/** sharp's `resize` kernels, plus 'pillow-bilinear' (see above). */
export type ResizeKernel = 'pillow-bilinear' | 'nearest' | 'linear' | 'cubic' | 'mitchell' | 'lanczos2' | 'lanczos3' | 'mks2013' | 'mks2021';

/** The method used unless another is asked for, named in reports. */
export const RESIZE_KERNEL: ResizeKernel = 'pillow-bilinear';

const KERNEL_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'pillow-bilinear': "Pillow's Image.BILINEAR reproduced exactly (@onebit/core resizeBilinearPillow)",
};

export interface Geometry {
  /** Resize the shorter side to this many pixels (the longer side to floor(resize·long/short)). */
  readonly resize?: number;
  /** Centre crop of crop×crop pixels after the resize. */
  readonly crop?: number;
  /** Output channels: 3 (RGB) or 1 (grey). Default 3. */
  readonly channels?: 1 | 3;
  readonly kernel?: ResizeKernel;
}

/** Describes the geometry for reports, e.g. "shorter side → 256 (sharp 0.35.5 libvips 8.18.7 'linear'), centre crop 224". */
export function describeGeometry(g: Geometry): string {
  const parts: string[] = [];
  const kernel = g.kernel ?? RESIZE_KERNEL;
  if (g.resize !== undefined) parts.push(`shorter side → ${g.resize} (sharp ${sharp.versions.sharp} / libvips ${sharp.versions.vips}, '${kernel}' ${KERNEL_DESCRIPTIONS[kernel] ? `= ${KERNEL_DESCRIPTIONS[kernel]}` : 'resize kernel'})`);
  if (g.crop !== undefined) parts.push(`centre crop ${g.crop}×${g.crop}`);
  return parts.join(', ');
}

/** Python's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Size after resizing the shorter side of width×height to `target` (Pillow/torchvision: long side truncated). */
export function resizedSize(width: number, height: number, target: number): [number, number] {
  if (width <= height) return [target, Math.floor((target * height) / width)];
  return [Math.floor((target * width) / height), target];
}

export type ImageInput = Uint8Array | { readonly pixels: Uint8Array; readonly width: number; readonly height: number; readonly channels: number };

/**
 * Decodes (or takes raw HWC pixels), applies the geometry and returns C×H×W uint8 planes with the
 * final width and height. `where` names the image in error messages.
 */
export async function loadPixels(input: ImageInput, geometry: Geometry, where: string): Promise<{ pixels: Uint8Array; width: number; height: number; channels: number }> {
  const channels = geometry.channels ?? 3;
  try {
    // Decode to raw pixels of the wanted channel count first, so the geometry sees plain RGB/grey.
    let source = input instanceof Uint8Array ? sharp(input, { failOn: 'error' }) : sharp(input.pixels, { raw: { width: input.width, height: input.height, channels: input.channels as 1 | 3 | 4 } });
    source = channels === 3 ? source.toColourspace('srgb').removeAlpha() : source.toColourspace('b-w');
    let { data, info } = await source.raw().toBuffer({ resolveWithObject: true });
    let width = info.width;
    let height = info.height;
    let stride = info.width;
    if (info.channels !== channels) throw new FormatError('image', `${where} decoded to ${info.channels} channels, not ${channels}.`);
    if (geometry.resize !== undefined) {
      const [w, h] = resizedSize(width, height, geometry.resize);
      const kernel = geometry.kernel ?? RESIZE_KERNEL;
      if (kernel === 'pillow-bilinear') {
        const resized = resizeBilinearPillow(data, width, height, channels, w, h);
        data = Buffer.from(resized.buffer as ArrayBuffer, resized.byteOffset, resized.byteLength);
        info = { ...info, width: w, height: h };
      } else {
        ({ data, info } = await sharp(data, { raw: { width, height, channels } })
          .resize({ width: w, height: h, fit: 'fill', kernel })
          .raw().toBuffer({ resolveWithObject: true }));
      }
      // affine's output box may be a pixel larger than w×h; the top-left w×h is the image.
      if (info.width < w || info.height < h) throw new FormatError('image', `${where} resized to ${info.width}×${info.height}, not ${w}×${h}.`);
      [width, height, stride] = [w, h, info.width];
    }
    let left = 0;
    let top = 0;
    if (geometry.crop !== undefined) {
      const crop = geometry.crop;
      if (crop > width || crop > height) throw new FormatError('image', `${where} is ${width}×${height} after resizing, smaller than the ${crop}×${crop} crop.`);
      left = roundHalfEven((width - crop) / 2);
      top = roundHalfEven((height - crop) / 2);
      width = crop;
      height = crop;
    }
    const plane = width * height;
    const planes = new Uint8Array(channels * plane);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const from = ((y + top) * stride + x + left) * channels;
        for (let c = 0; c < channels; c++) planes[c * plane + y * width + x] = data[from + c]!;
      }
    }
    return { pixels: planes, width, height, channels };
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError('image', `${where} could not be decoded by sharp: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}.`, undefined, { cause: e });
  }
}
