/**
 * The geometry half of preprocessing, shared by validation and the deployment runtime (Node and
 * browsers): decoded interleaved pixels (grey, RGB or RGBA) → the wanted channels (alpha dropped,
 * grey repeated for RGB) → shorter side resized to `resize` with Pillow's bilinear filter
 * (pillow-resize.ts; the long side `floor(resize·long/short)` as torchvision's `Resize(int)`) → centre
 * crop at `round((W − crop)/2)`, `round((H − crop)/2)` with Python's half-to-even round (torchvision
 * `CenterCrop`) → C×H×W uint8 planes. Without a `resize`, `size` stretches to an exact width×height
 * with the same filter. Channel order is RGB as decoded.
 */
import { FormatError } from './errors.js';
import { resizeBilinearPillow } from './pillow-resize.js';

/** Default bound on an image's width × height before decoding, everywhere: 4096 × 4096 (48 MiB of RGB). */
export const DEFAULT_MAX_IMAGE_PIXELS = 4096 * 4096;

/** Decoded pixels, rows top to bottom, channels interleaved (1 grey, 3 RGB or 4 RGBA). */
export interface InterleavedImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
  /** 1, 3 or 4; inferred from data.length when absent. */
  readonly channels?: number;
}

/** C×H×W uint8 planes. */
export interface PlanarImage {
  readonly pixels: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

export interface ImageGeometry {
  /** Resize the shorter side to this many pixels (Pillow bilinear). */
  readonly resize?: number;
  /** Centre crop of crop×crop pixels after the resize. */
  readonly crop?: number;
  /** Without `resize`: stretch to exactly [width, height] (Pillow bilinear) unless already that size. */
  readonly size?: readonly [number, number];
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

/** The channel count per pixel of `image`, checked against its byte count. */
export function pixelStride(image: InterleavedImage, where: string): number {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new FormatError('image', `${where} has size ${width}×${height}, not a positive whole number of pixels.`);
  }
  const stride = image.channels ?? data.length / (width * height);
  if (![1, 3, 4].includes(stride) || data.length !== width * height * stride) {
    throw new FormatError('image', `${where} has ${data.length} bytes, which is not ${width}×${height} pixels of ${image.channels ?? '1, 3 or 4'} bytes.`);
  }
  return stride;
}

/** `image` with exactly `channels` (1 or 3) interleaved bytes per pixel; a view when nothing changes. */
function selectChannels(image: InterleavedImage, stride: number, channels: 1 | 3, where: string): Uint8Array | Uint8ClampedArray {
  if (stride === channels) return image.data;
  if (channels === 1) throw new FormatError('image', `${where} has ${stride} channels per pixel but one grey channel is needed.`);
  const n = image.width * image.height;
  const out = new Uint8Array(n * 3);
  const src = image.data;
  for (let i = 0, p = 0; i < n; i++, p += stride) {
    const r = src[p]!;
    out[i * 3] = r;
    out[i * 3 + 1] = stride === 1 ? r : src[p + 1]!;
    out[i * 3 + 2] = stride === 1 ? r : src[p + 2]!;
  }
  return out;
}

/**
 * Applies `geometry` to `image` and returns `channels` C×H×W uint8 planes. `where` names the image
 * in errors.
 * @throws FormatError when the image bytes do not match its size, or the image is smaller than the crop.
 */
export function toPlanes(image: InterleavedImage, geometry: ImageGeometry, channels: 1 | 3, where: string): PlanarImage {
  const stride = pixelStride(image, where);
  let data = selectChannels(image, stride, channels, where);
  let { width, height } = image;
  const target = geometry.resize !== undefined ? resizedSize(width, height, geometry.resize) : geometry.size;
  if (target && (target[0] !== width || target[1] !== height)) {
    data = resizeBilinearPillow(data, width, height, channels, target[0], target[1]);
    [width, height] = target;
  }
  let left = 0;
  let top = 0;
  let outW = width;
  let outH = height;
  if (geometry.crop !== undefined) {
    const crop = geometry.crop;
    if (crop > width || crop > height) throw new FormatError('image', `${where} is ${width}×${height} after resizing, smaller than the ${crop}×${crop} crop.`);
    left = roundHalfEven((width - crop) / 2);
    top = roundHalfEven((height - crop) / 2);
    outW = outH = crop;
  }
  const plane = outW * outH;
  const pixels = new Uint8Array(channels * plane);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const from = ((y + top) * width + x + left) * channels;
      for (let c = 0; c < channels; c++) pixels[c * plane + y * outW + x] = data[from + c]!;
    }
  }
  return { pixels, width: outW, height: outH, channels };
}
