/**
 * Opens a dataset by path and says which kind it is: a folder of JPEG/PNG images with a labels
 * file (ImageNet style, see image-folder.ts), an IDX images file (MNIST; its labels file is found
 * beside it by the standard name, `…images-idx3-ubyte` → `…labels-idx1-ubyte`) or a CIFAR-10/100
 * binary batch (told apart by record size). Class names are read from the standard file beside the
 * data when present (`batches.meta.txt`, `fine_label_names.txt`, `classes.txt`). Geometry (resize,
 * centre crop) is applied while loading, with sharp.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FormatError, assertNotWrongFile } from '@onebit/core';
import { readCifar, readCifarClassNames, type CifarVariant } from './cifar.js';
import type { ImageSet } from './image-set.js';
import { readImageFolder } from './image-folder.js';
import { readMnist } from './mnist.js';
import { sha256Hex } from './report-identity.js';
import { loadPixels, type Geometry } from './resize.js';

export type ImageSetFormat = CifarVariant | 'mnist' | 'image-folder';

export interface LoadImageSetOptions {
  /** Settles an ambiguous CIFAR file length. */
  variant?: CifarVariant;
  /** Resize/crop applied to every image (required for image folders). */
  geometry?: Geometry;
  /** Labels file of an image folder (default: found beside the images). */
  labelsPath?: string;
  /** Image folders: decode only images [start, end) of the range this gives for the image count (others keep their labels, pixels stay zero). */
  range?: (n: number) => readonly [number, number];
  onProgress?: (done: number, total: number) => void;
}

export interface LoadedImageSet extends ImageSet {
  readonly format: ImageSetFormat;
  /** Where the labels came from (the data file itself for CIFAR). */
  readonly labelsPath: string;
  readonly classNames?: string[];
  /** Image folders: file names in image order. */
  readonly files?: string[];
}

/** Whether `bytes` start like an IDX file of uint8 images (0x00 0x00 0x08 0x03). */
export function isIdxImages(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0x08 && bytes[3] === 3;
}

/** Reads the dataset at `path`, detecting its format. A bare variant argument is the old form of `{ variant }`. */
export async function loadImageSet(path: string, options: CifarVariant | LoadImageSetOptions = {}): Promise<LoadedImageSet> {
  const opts: LoadImageSetOptions = typeof options === 'string' ? { variant: options } : options;
  if (statSync(path).isDirectory()) {
    const set = await readImageFolder(path, {
      geometry: opts.geometry ?? {},
      ...(opts.labelsPath ? { labelsPath: opts.labelsPath } : {}),
      ...(opts.range ? { range: opts.range } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    return { ...set, format: 'image-folder' };
  }
  const set = await readUniform(path, opts.variant);
  const g = opts.geometry;
  return g && (g.resize !== undefined || g.crop !== undefined) ? { ...set, ...(await resizeImageSet(set, g, path)) } : set;
}

/** Applies `geometry` to every image of a fixed-size set (e.g. CIFAR upscaled for an ImageNet model). */
export async function resizeImageSet(set: ImageSet, geometry: Geometry, where: string): Promise<ImageSet> {
  const plane = set.height * set.width;
  const size = set.channels * plane;
  let out: Uint8Array | undefined;
  let height = 0;
  let width = 0;
  let channels = 0;
  for (let i = 0; i < set.n; i++) {
    const hwc = new Uint8Array(size);
    for (let p = 0, k = 0; p < plane; p++) for (let c = 0; c < set.channels; c++, k++) hwc[k] = set.pixels[i * size + c * plane + p]!;
    const image = await loadPixels({ pixels: hwc, width: set.width, height: set.height, channels: set.channels }, { channels: set.channels === 1 ? 1 : 3, ...geometry }, `image ${i} of ${where}`);
    ({ height, width, channels } = image);
    out ??= new Uint8Array(set.n * image.pixels.length);
    out.set(image.pixels, i * image.pixels.length);
  }
  return { ...set, pixels: out ?? new Uint8Array(0), height, width, channels };
}

async function readUniform(path: string, variant: CifarVariant | undefined): Promise<LoadedImageSet> {
  const bytes = new Uint8Array(await readFile(path));
  assertNotWrongFile(bytes, path);
  if (isIdxImages(bytes)) {
    const name = basename(path);
    const labelsName = name.replace('images-idx3', 'labels-idx1').replace('images.idx3', 'labels.idx1');
    const labelsPath = join(dirname(path), labelsName);
    if (labelsName === name || !existsSync(labelsPath)) {
      throw new FormatError('IDX', `${path} holds images but no labels file ${labelsName === name ? '(…labels-idx1-ubyte)' : labelsPath} was found beside it at byte 0.`, 0);
    }
    const labelsBytes = new Uint8Array(await readFile(labelsPath));
    const digest = { sha256: sha256Hex(concat(bytes, labelsBytes)), of: `the bytes of ${name} followed by those of ${labelsName}` };
    return { ...readMnist(bytes, labelsBytes), format: 'mnist', labelsPath, digest };
  }
  const set = readCifar(bytes, variant);
  const namesPath = join(dirname(path), set.variant === 'cifar10' ? 'batches.meta.txt' : 'fine_label_names.txt');
  const classNames = existsSync(namesPath) ? readCifarClassNames(await readFile(namesPath, 'utf8')) : undefined;
  return { ...set, format: set.variant, labelsPath: path, digest: { sha256: sha256Hex(bytes), of: `the bytes of ${basename(path)}` }, ...(classNames ? { classNames } : {}) };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
