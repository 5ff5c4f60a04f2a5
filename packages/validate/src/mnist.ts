/**
 * MNIST (and Fashion-MNIST) as an image set: an IDX3 uint8 images file (magic 0x00000803, N×28×28)
 * plus an IDX1 uint8 labels file (magic 0x00000801, N), paired by index.
 */
import { FormatError } from '@onebit/core';
import type { ImageSet } from './image-set.js';
import { readIdx } from './idx.js';

export interface MnistSet extends ImageSet {
  readonly channels: 1;
  readonly labels: Uint8Array;
}

/** Reads an images file and its labels file into one grey-scale image set. */
export function readMnist(imagesBytes: Uint8Array, labelsBytes: Uint8Array): MnistSet {
  const images = readIdx(imagesBytes);
  if (images.dtype !== 'uint8' || images.dims.length !== 3) {
    throw new FormatError('IDX', `images file holds ${images.dtype} of shape ${images.dims.join('×')} at byte 2, not uint8 N×H×W (magic 0x00000803).`, 2);
  }
  const labels = readIdx(labelsBytes);
  if (labels.dtype !== 'uint8' || labels.dims.length !== 1) {
    throw new FormatError('IDX', `labels file holds ${labels.dtype} of shape ${labels.dims.join('×')} at byte 2, not uint8 N (magic 0x00000801).`, 2);
  }
  const [n, height, width] = images.dims as [number, number, number];
  if (labels.dims[0] !== n) throw new FormatError('IDX', `labels file count ${labels.dims[0]} at byte 4 does not match the ${n} images.`, 4);
  return { n, channels: 1, height, width, pixels: images.data, labels: labels.data };
}
