/**
 * Pillow's bilinear resampling of 8-bit images, reproduced exactly (Pillow ≥ 7, `Image.resize(size,
 * Image.BILINEAR)` without `reducing_gap`; libImaging/Resample.c): a separable triangle filter widened
 * by the scale factor when shrinking, weights computed in double, normalised, then converted to
 * 22-bit fixed point; a horizontal pass rounded to uint8, then a vertical pass rounded to uint8.
 * Written by hand because no image library reproduces Pillow's rounding (libvips' SIMD paths differ
 * by CPU), and the reference logits of the models onebit validates were computed with Pillow.
 */

/** Fixed-point precision of Pillow's 8-bit resampling: 32 − 8 − 2 bits. */
const PRECISION_BITS = 22;

/** Per output coordinate: first source index, tap count and 22-bit fixed-point weights. */
interface Coefficients {
  readonly first: Int32Array;
  readonly count: Int32Array;
  readonly weights: Int32Array;
  readonly taps: number;
}

/** Pillow's bilinear (triangle) filter, support 1. */
function triangle(x: number): number {
  const a = Math.abs(x);
  return a < 1 ? 1 - a : 0;
}

/** Pillow's `precompute_coeffs` followed by `normalize_coeffs_8bpc`, for the whole input range. */
function coefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 1 * filterScale;
  const taps = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * taps);
  const k = new Float64Array(taps);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const ss = 1 / filterScale;
    // C's (int) cast truncates toward zero; both values are ≥ −0.5 + 0.5 here, so trunc = floor.
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const n = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    let ww = 0;
    for (let x = 0; x < n; x++) {
      const w = triangle((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < n; x++) {
      const v = ww !== 0 ? k[x]! / ww : k[x]!;
      weights[xx * taps + x] = v < 0 ? Math.trunc(-0.5 + v * (1 << PRECISION_BITS)) : Math.trunc(0.5 + v * (1 << PRECISION_BITS));
    }
    first[xx] = xmin;
    count[xx] = n;
  }
  return { first, count, weights, taps };
}

/** Pillow's `clip8`: the fixed-point sum shifted back to a byte, clamped to 0..255. */
function clip8(acc: number): number {
  const v = acc >> PRECISION_BITS;
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/**
 * Resizes `width × height` pixels of `channels` interleaved bytes (HWC) to `outWidth × outHeight`
 * exactly as Pillow's `Image.resize((outWidth, outHeight), Image.BILINEAR)` does. A pass whose size is
 * unchanged is skipped, as in Pillow, so identical sizes return a copy.
 * @throws RangeError when `data` does not hold `width × height × channels` bytes or a size is not a
 *   positive integer.
 */
export function resizeBilinearPillow(data: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: number, outWidth: number, outHeight: number): Uint8Array {
  for (const [name, v] of [['width', width], ['height', height], ['channels', channels], ['output width', outWidth], ['output height', outHeight]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`The ${name} of a resize must be a positive integer, got ${v}.`);
  }
  if (data.length !== width * height * channels) throw new RangeError(`${data.length} bytes are not ${width}×${height} pixels of ${channels} channels.`);
  let src: Uint8Array = Uint8Array.from(data);
  let w = width;
  if (outWidth !== width) {
    const c = coefficients(width, outWidth);
    const out = new Uint8Array(outWidth * height * channels);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < outWidth; x++) {
        const base = (y * width + c.first[x]!) * channels;
        for (let ch = 0; ch < channels; ch++) {
          let acc = 1 << (PRECISION_BITS - 1);
          for (let t = 0; t < c.count[x]!; t++) acc += src[base + t * channels + ch]! * c.weights[x * c.taps + t]!;
          out[(y * outWidth + x) * channels + ch] = clip8(acc);
        }
      }
    }
    src = out;
    w = outWidth;
  }
  if (outHeight !== height) {
    const c = coefficients(height, outHeight);
    const out = new Uint8Array(w * outHeight * channels);
    const row = w * channels;
    for (let y = 0; y < outHeight; y++) {
      const base = c.first[y]! * row;
      for (let i = 0; i < row; i++) {
        let acc = 1 << (PRECISION_BITS - 1);
        for (let t = 0; t < c.count[y]!; t++) acc += src[base + t * row + i]! * c.weights[y * c.taps + t]!;
        out[y * row + i] = clip8(acc);
      }
    }
    src = out;
  }
  return src;
}
