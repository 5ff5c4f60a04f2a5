/**
 * MNIST (and Fashion-MNIST) as an image set: an IDX3 uint8 images file (magic 0x00000803, N×28×28)
 * plus an IDX1 uint8 labels file (magic 0x00000801, N), paired by index. Read whole (`readMnist`)
 * or lazily, a batch of images at a time (`openMnist`).
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { FormatError, assertNotWrongFile } from '@onebit/core';
import { forEachChunk, readFileRange } from './file-range.js';
import type { DataDigest, ImageSet } from './image-set.js';
import { checkReadRange, type ImageSource } from './image-source.js';
import { readIdx, readIdxHeader, type IdxHeader } from './idx.js';

export interface MnistSet extends ImageSet {
  readonly channels: 1;
  readonly labels: Uint8Array;
}

/** Throws unless `images` is uint8 N×H×W and `labels` uint8 N; returns [n, height, width]. */
function checkMnistShapes(images: Pick<IdxHeader, 'dtype' | 'dims'>, labels: Pick<IdxHeader, 'dtype' | 'dims'>): [number, number, number] {
  if (images.dtype !== 'uint8' || images.dims.length !== 3) {
    throw new FormatError('IDX', `images file holds ${images.dtype} of shape ${images.dims.join('×')} at byte 2, not uint8 N×H×W (magic 0x00000803).`, 2);
  }
  if (labels.dtype !== 'uint8' || labels.dims.length !== 1) {
    throw new FormatError('IDX', `labels file holds ${labels.dtype} of shape ${labels.dims.join('×')} at byte 2, not uint8 N (magic 0x00000801).`, 2);
  }
  const [n, height, width] = images.dims as [number, number, number];
  if (labels.dims[0] !== n) throw new FormatError('IDX', `labels file count ${labels.dims[0]} at byte 4 does not match the ${n} images.`, 4);
  return [n, height, width];
}

/** Reads an images file and its labels file into one grey-scale image set. */
export function readMnist(imagesBytes: Uint8Array, labelsBytes: Uint8Array): MnistSet {
  const images = readIdx(imagesBytes);
  const labels = readIdx(labelsBytes);
  const [n, height, width] = checkMnistShapes(images, labels);
  return { n, channels: 1, height, width, pixels: images.data as Uint8Array, labels: labels.data as Uint8Array };
}

/** Chunk size of the hashing pass over an images file. */
const HASH_CHUNK = 1 << 22;

/**
 * Opens an images file and its labels file without holding the images: the labels are read whole
 * (one byte per image), the images file is hashed in 4 MB chunks, and `read(start, end)` reads just
 * those images at their byte offset. The digest is the SHA-256 of the images file's bytes followed
 * by the labels file's. Same errors as readMnist.
 */
export async function openMnist(imagesPath: string, labelsPath: string): Promise<ImageSource & { readonly labels: Uint8Array; readonly digest: DataDigest }> {
  const length = statSync(imagesPath).size;
  const head = await readFileRange(imagesPath, 0, Math.min(length, 1 << 16), 'IDX');
  assertNotWrongFile(head, 'the IDX file');
  const header = readIdxHeader(head, length);
  const labelsBytes = new Uint8Array(await readFile(labelsPath));
  const labels = readIdx(labelsBytes);
  const [n, height, width] = checkMnistShapes(header, labels);
  const hash = createHash('sha256');
  await forEachChunk(imagesPath, HASH_CHUNK, (chunk) => hash.update(chunk));
  hash.update(labelsBytes);
  const size = height * width;
  return {
    n, channels: 1, height, width, labels: labels.data as Uint8Array,
    digest: { sha256: hash.digest('hex'), of: `the bytes of ${basename(imagesPath)} followed by those of ${basename(labelsPath)}` },
    read: async (start, end) => {
      checkReadRange(start, end, n);
      return readFileRange(imagesPath, header.start + start * size, (end - start) * size, 'IDX');
    },
  };
}
