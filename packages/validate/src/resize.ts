/**
 * Image geometry for validation: decode a JPEG/PNG with @onebit/image (sharp, shared with the Node
 * runtime) or take raw pixels, then
 * apply the preprocessing geometry (resize the shorter side, centre crop) and return C×H×W uint8
 * planes. The default method, 'pillow-bilinear', is @onebit/core's toPlanes — the one implementation
 * the deployment runtime also uses, bit-exact with Pillow 9.4 `Image.BILINEAR` (the reference), see
 * core's pillow-resize.ts. sharp's own `resize` kernels are selectable for comparison studies; the crop
 * is then the same torchvision centre crop.
 */
import sharp from 'sharp';
import { FormatError, resizedSize, toPlanes } from '@onebit/core';
import { decodeImage } from '@onebit/image';

export { resizedSize, roundHalfEven } from '@onebit/core';

/** 'pillow-bilinear' (@onebit/core, the reference) or one of sharp's `resize` kernels. */
export type ResizeKernel = 'pillow-bilinear' | 'nearest' | 'linear' | 'cubic' | 'mitchell' | 'lanczos2' | 'lanczos3' | 'mks2013' | 'mks2021';

/** The method used unless another is asked for, named in reports. */
export const RESIZE_KERNEL: ResizeKernel = 'pillow-bilinear';

const KERNEL_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'pillow-bilinear': "Pillow 9.4 BILINEAR reproduced exactly by @onebit/core (triangle filter widened when shrinking, 22-bit fixed point, rounded to uint8 after each pass)",
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

/** Describes the geometry for reports, e.g. "shorter side → 256 ('pillow-bilinear' = …), centre crop 224×224". */
export function describeGeometry(g: Geometry): string {
  const parts: string[] = [];
  const kernel = g.kernel ?? RESIZE_KERNEL;
  if (g.resize !== undefined) parts.push(`shorter side → ${g.resize} ('${kernel}' ${KERNEL_DESCRIPTIONS[kernel] ? `= ${KERNEL_DESCRIPTIONS[kernel]}` : `sharp ${sharp.versions.sharp} / libvips ${sharp.versions.vips} resize kernel`})`);
  if (g.crop !== undefined) parts.push(`centre crop ${g.crop}×${g.crop}`);
  return parts.join(', ');
}

export type ImageInput = Uint8Array | { readonly pixels: Uint8Array; readonly width: number; readonly height: number; readonly channels: number };

/**
 * Decodes (or takes raw HWC pixels), applies the geometry and returns C×H×W uint8 planes with the
 * final width and height. `where` names the image in error messages.
 * @throws FormatError when the image cannot be decoded or is smaller than the crop; LimitError past the pixel bound.
 */
export async function loadPixels(input: ImageInput, geometry: Geometry, where: string): Promise<{ pixels: Uint8Array; width: number; height: number; channels: number }> {
  const channels = geometry.channels ?? 3;
  // Encoded bytes go through the decoder the Node runtime uses too (EXIF orientation, sRGB, alpha dropped, pixel bound).
  const decoded = input instanceof Uint8Array ? await decodeImage(input, { channels, where }) : { width: input.width, height: input.height, data: input.pixels, channels: input.channels };
  const kernel = geometry.kernel ?? RESIZE_KERNEL;
  if (geometry.resize === undefined || kernel === 'pillow-bilinear') return toPlanes(decoded, geometry, channels, where);
  // A comparison kernel: sharp resizes, the crop is the same.
  const rgb = toPlanes(decoded, {}, channels, where);
  const [w, h] = resizedSize(rgb.width, rgb.height, geometry.resize);
  const interleaved = new Uint8Array(rgb.pixels.length);
  const plane = rgb.width * rgb.height;
  for (let p = 0; p < plane; p++) for (let c = 0; c < channels; c++) interleaved[p * channels + c] = rgb.pixels[c * plane + p]!;
  let resized;
  try {
    resized = await sharp(interleaved, { raw: { width: rgb.width, height: rgb.height, channels } }).resize({ width: w, height: h, fit: 'fill', kernel }).raw().toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new FormatError('image', `${where} could not be resized by sharp: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}.`, undefined, { cause: e });
  }
  return toPlanes({ width: resized.info.width, height: resized.info.height, data: resized.data, channels }, geometry.crop !== undefined ? { crop: geometry.crop } : {}, channels, where);
}
