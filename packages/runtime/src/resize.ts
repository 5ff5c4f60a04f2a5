/**
 * Resampling an interleaved 8-bit image to the model's input size with one documented filter: the
 * separable triangle (bilinear) filter, widened by the scale factor when shrinking so every source
 * pixel contributes (Pillow's `Image.resize(size, BILINEAR)`; pixel centres at +0.5, edges clamped).
 * Used by both entries, so Node and browsers see the same pixels. Identity sizes are copied as-is.
 */

/** Per output coordinate: first source index and its normalised weights. */
interface Taps {
  readonly first: Int32Array;
  readonly count: Int32Array;
  readonly weights: Float64Array;
  readonly maxTaps: number;
}

function taps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const support = Math.max(1, scale); // triangle radius in source pixels
  const maxTaps = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * maxTaps);
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support));
    const hi = Math.min(inSize, Math.ceil(centre + support));
    let sum = 0;
    let n = 0;
    for (let i = lo; i < hi && n < maxTaps; i++, n++) {
      const w = Math.max(0, 1 - Math.abs((i + 0.5 - centre) / support));
      weights[o * maxTaps + n] = w;
      sum += w;
    }
    for (let k = 0; k < n; k++) weights[o * maxTaps + k]! /= sum || 1;
    first[o] = lo;
    count[o] = n;
  }
  return { first, count, weights, maxTaps };
}

/** Resizes `width × height` pixels of `channels` interleaved bytes to `outWidth × outHeight`. */
export function resizeImage(data: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: number, outWidth: number, outHeight: number): Uint8Array {
  if (data.length !== width * height * channels) throw new RangeError(`${data.length} bytes are not ${width}×${height} pixels of ${channels} channels.`);
  if (width === outWidth && height === outHeight) return Uint8Array.from(data);
  const h = taps(width, outWidth);
  const v = taps(height, outHeight);
  // horizontal pass into floats, then vertical pass with rounding
  const mid = new Float64Array(outWidth * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < outWidth; x++) {
      const f = h.first[x]!;
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = 0; k < h.count[x]!; k++) acc += h.weights[x * h.maxTaps + k]! * data[((y * width) + f + k) * channels + c]!;
        mid[(y * outWidth + x) * channels + c] = acc;
      }
    }
  }
  const out = new Uint8Array(outWidth * outHeight * channels);
  for (let y = 0; y < outHeight; y++) {
    const f = v.first[y]!;
    for (let x = 0; x < outWidth; x++) {
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = 0; k < v.count[y]!; k++) acc += v.weights[y * v.maxTaps + k]! * mid[(((f + k) * outWidth) + x) * channels + c]!;
        out[(y * outWidth + x) * channels + c] = Math.min(255, Math.max(0, Math.round(acc)));
      }
    }
  }
  return out;
}
