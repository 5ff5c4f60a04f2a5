/**
 * Opens a dataset by path and says which kind it is: a folder of JPEG/PNG images with a labels
 * file (ImageNet style, see image-folder.ts), an IDX images file (MNIST; its labels file is found
 * beside it by the standard name, `…images-idx3-ubyte` → `…labels-idx1-ubyte`) or a CIFAR-10/100
 * binary batch (told apart by record size). Class names are read from the standard file beside the
 * data when present (`batches.meta.txt`, `fine_label_names.txt`, `classes.txt`). Geometry (resize,
 * centre crop) is applied per image as it is read. `openImageSet` reads nothing but labels until a
 * batch is asked for (what validation uses, so memory is bounded by the batch); `loadImageSet` reads
 * everything (or a range) into memory.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FormatError, allocate, assertNotWrongFile, resizedSize } from '@onebit/core';
import { openCifar, readCifarClassNames, type CifarVariant } from './cifar.js';
import { readFileRange } from './file-range.js';
import type { DataDigest, ImageSet } from './image-set.js';
import { openImageFolder } from './image-folder.js';
import type { ImageSource } from './image-source.js';
import { openMnist } from './mnist.js';
import { loadPixels, type Geometry } from './resize.js';

export type ImageSetFormat = CifarVariant | 'mnist' | 'image-folder';

export interface LoadImageSetOptions {
  /** Settles an ambiguous CIFAR file length. */
  variant?: CifarVariant;
  /** Resize/crop applied to every image (required for image folders). */
  geometry?: Geometry;
  /** Labels file of an image folder (default: found beside the images). */
  labelsPath?: string;
  /** loadImageSet: read only images [start, end) of the range this gives for the image count (others keep their labels, pixels stay zero). */
  range?: (n: number) => readonly [number, number];
  /** Image folders: called after each image decoded, with the count so far and the count of the read. */
  onProgress?: (done: number, total: number) => void;
}

/** What every opened data set says besides its images. */
interface DataSetInfo {
  readonly format: ImageSetFormat;
  /** Where the labels came from (the data file itself for CIFAR). */
  readonly labelsPath: string;
  readonly classNames?: string[];
  /** Image folders: file names in image order. */
  readonly files?: string[];
}

/** A data set opened lazily (openImageSet). */
export type LoadedImageSource = ImageSource & DataSetInfo & { readonly digest: DataDigest };

/** A data set read into memory (loadImageSet). */
export interface LoadedImageSet extends ImageSet, DataSetInfo {}

/** Whether `bytes` start like an IDX file of uint8 images (0x00 0x00 0x08 0x03). */
export function isIdxImages(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0x08 && bytes[3] === 3;
}

/**
 * Opens the dataset at `path`, detecting its format, without reading its images: `read(start, end)`
 * reads or decodes just that batch (geometry applied), so a shard or a batch is all that is held.
 */
export async function openImageSet(path: string, options: LoadImageSetOptions = {}): Promise<LoadedImageSource> {
  if (statSync(path).isDirectory()) {
    const source = await openImageFolder(path, {
      geometry: options.geometry ?? {},
      ...(options.labelsPath ? { labelsPath: options.labelsPath } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return { ...source, format: 'image-folder' };
  }
  const source = await openUniform(path, options.variant);
  const g = options.geometry;
  return g && (g.resize !== undefined || g.crop !== undefined) ? { ...source, ...withGeometry(source, g, path) } : source;
}

/** Reads the dataset at `path` into memory, detecting its format. A bare variant argument is the old form of `{ variant }`. */
export async function loadImageSet(path: string, options: CifarVariant | LoadImageSetOptions = {}): Promise<LoadedImageSet> {
  const opts: LoadImageSetOptions = typeof options === 'string' ? { variant: options } : options;
  const { read, ...source } = await openImageSet(path, opts);
  const [start, end] = opts.range ? opts.range(source.n) : [0, source.n];
  const size = source.channels * source.height * source.width;
  if (start === 0 && end === source.n) return { ...source, pixels: await read(0, source.n) };
  const pixels = allocate('uint8', source.n * size, `all ${source.n} images of ${path} in memory (openImageSet reads them a batch at a time instead)`);
  pixels.set(await read(start, end), start * size);
  return { ...source, pixels };
}

/** `source` with `geometry` applied to each image as it is read (e.g. CIFAR upscaled for an ImageNet model). */
function withGeometry(source: ImageSource, geometry: Geometry, where: string): ImageSource {
  const channels = source.channels === 1 ? 1 : 3;
  const [w, h] = geometry.resize !== undefined ? resizedSize(source.width, source.height, geometry.resize) : [source.width, source.height];
  const [width, height] = geometry.crop !== undefined ? [geometry.crop, geometry.crop] : [w, h];
  return {
    ...source, channels, height, width,
    read: async (start, end) => (await resizeImageSet({ ...source, n: end - start, pixels: await source.read(start, end) }, geometry, where, start)).pixels,
  };
}

/** Applies `geometry` to every image of a fixed-size set; `first` is the index of its first image in the data set (for messages). */
export async function resizeImageSet(set: ImageSet, geometry: Geometry, where: string, first = 0): Promise<ImageSet> {
  const plane = set.height * set.width;
  const size = set.channels * plane;
  let out: Uint8Array | undefined;
  let height = 0;
  let width = 0;
  let channels = 0;
  for (let i = 0; i < set.n; i++) {
    const hwc = new Uint8Array(size);
    for (let p = 0, k = 0; p < plane; p++) for (let c = 0; c < set.channels; c++, k++) hwc[k] = set.pixels[i * size + c * plane + p]!;
    const image = await loadPixels({ pixels: hwc, width: set.width, height: set.height, channels: set.channels }, { channels: set.channels === 1 ? 1 : 3, ...geometry }, `image ${first + i} of ${where}`);
    ({ height, width, channels } = image);
    out ??= new Uint8Array(set.n * image.pixels.length);
    out.set(image.pixels, i * image.pixels.length);
  }
  return { ...set, pixels: out ?? new Uint8Array(0), height, width, channels };
}

async function openUniform(path: string, variant: CifarVariant | undefined): Promise<LoadedImageSource> {
  // Wrong files (LFS pointers, HTML pages) are small: the first 64 KiB is all of one.
  const head = await readFileRange(path, 0, Math.min(statSync(path).size, 1 << 16), 'data');
  assertNotWrongFile(head, path);
  if (isIdxImages(head)) {
    const name = basename(path);
    const labelsName = name.replace('images-idx3', 'labels-idx1').replace('images.idx3', 'labels.idx1');
    const labelsPath = join(dirname(path), labelsName);
    if (labelsName === name || !existsSync(labelsPath)) {
      throw new FormatError('IDX', `${path} holds images but no labels file ${labelsName === name ? '(…labels-idx1-ubyte)' : labelsPath} was found beside it at byte 0.`, 0);
    }
    return { ...(await openMnist(path, labelsPath)), format: 'mnist', labelsPath };
  }
  const set = await openCifar(path, variant);
  const namesPath = join(dirname(path), set.variant === 'cifar10' ? 'batches.meta.txt' : 'fine_label_names.txt');
  const classNames = existsSync(namesPath) ? readCifarClassNames(await readFile(namesPath, 'utf8')) : undefined;
  return { ...set, format: set.variant, labelsPath: path, ...(classNames ? { classNames } : {}) };
}
