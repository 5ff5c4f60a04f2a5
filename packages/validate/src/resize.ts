/**
 * Image geometry for preprocessing, done with sharp (libvips): decode a JPEG/PNG (or take raw
 * pixels), resize so the shorter side is `resize` pixels, centre-crop `crop`×`crop`, and return the
 * uint8 pixels as C×H×W planes. The reference used Pillow 9.4 `Image.BILINEAR`; of sharp's kernels,
 * `RESIZE_KERNEL` below gives predictions closest to it (see the package README for the measured
 * agreement). Crop offsets follow torchvision: `round((W − crop)/2)` with Python's half-to-even round.
 */
import sharp from 'sharp';
import { FormatError } from '@onebit/core';

/** The sharp kernel used for every resize, named in reports. */
export const RESIZE_KERNEL = 'linear' as const;

export type ResizeKernel = 'nearest' | 'linear' | 'cubic' | 'mitchell' | 'lanczos2' | 'lanczos3' | 'mks2013' | 'mks2021';

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
  if (g.resize !== undefined) parts.push(`shorter side → ${g.resize} (sharp ${sharp.versions.sharp} / libvips ${sharp.versions.vips} '${g.kernel ?? RESIZE_KERNEL}' kernel)`);
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
  let image = input instanceof Uint8Array ? sharp(input, { failOn: 'error' }) : sharp(input.pixels, { raw: { width: input.width, height: input.height, channels: input.channels as 1 | 3 | 4 } });
  let width: number;
  let height: number;
  try {
    const meta = await image.metadata();
    width = input instanceof Uint8Array ? meta.width : input.width;
    height = input instanceof Uint8Array ? meta.height : input.height;
    if (geometry.resize !== undefined) {
      [width, height] = resizedSize(width, height, geometry.resize);
      image = image.resize({ width, height, fit: 'fill', kernel: geometry.kernel ?? RESIZE_KERNEL });
    }
    if (geometry.crop !== undefined) {
      const crop = geometry.crop;
      if (crop > width || crop > height) throw new FormatError('image', `${where} is ${width}×${height} after resizing, smaller than the ${crop}×${crop} crop.`);
      image = image.extract({ left: roundHalfEven((width - crop) / 2), top: roundHalfEven((height - crop) / 2), width: crop, height: crop });
      width = crop;
      height = crop;
    }
    const { data, info } = await (channels === 3 ? image.toColourspace('srgb').removeAlpha() : image.toColourspace('b-w')).raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== channels || info.width !== width || info.height !== height) {
      throw new FormatError('image', `${where} decoded to ${info.width}×${info.height}×${info.channels}, not ${width}×${height}×${channels}.`);
    }
    const planes = new Uint8Array(data.length);
    const plane = width * height;
    for (let p = 0, i = 0; p < plane; p++) for (let c = 0; c < channels; c++, i++) planes[c * plane + p] = data[i]!;
    return { pixels: planes, width, height, channels };
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError('image', `${where} could not be decoded by sharp: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}.`, undefined, { cause: e });
  }
}
