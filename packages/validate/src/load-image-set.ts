/**
 * Opens a dataset file by path and says which kind it is: an IDX images file (MNIST; its labels
 * file is found beside it by the standard name, `…images-idx3-ubyte` → `…labels-idx1-ubyte`) or a
 * CIFAR-10/100 binary batch (told apart by record size). Class names are read from the standard
 * file beside the data when present (`batches.meta.txt`, `fine_label_names.txt`).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FormatError, assertNotWrongFile } from '@onebit/core';
import { readCifar, readCifarClassNames, type CifarVariant } from './cifar.js';
import type { ImageSet } from './image-set.js';
import { readMnist } from './mnist.js';

export type ImageSetFormat = CifarVariant | 'mnist';

export interface LoadedImageSet extends ImageSet {
  readonly format: ImageSetFormat;
  /** Where the labels came from (the data file itself for CIFAR). */
  readonly labelsPath: string;
  readonly classNames?: string[];
}

/** Whether `bytes` start like an IDX file of uint8 images (0x00 0x00 0x08 0x03). */
export function isIdxImages(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0x08 && bytes[3] === 3;
}

/** Reads the dataset at `path`, detecting its format; `variant` settles an ambiguous CIFAR length. */
export async function loadImageSet(path: string, variant?: CifarVariant): Promise<LoadedImageSet> {
  const bytes = new Uint8Array(await readFile(path));
  assertNotWrongFile(bytes, path);
  if (isIdxImages(bytes)) {
    const name = basename(path);
    const labelsName = name.replace('images-idx3', 'labels-idx1').replace('images.idx3', 'labels.idx1');
    const labelsPath = join(dirname(path), labelsName);
    if (labelsName === name || !existsSync(labelsPath)) {
      throw new FormatError('IDX', `${path} holds images but no labels file ${labelsName === name ? '(…labels-idx1-ubyte)' : labelsPath} was found beside it at byte 0.`, 0);
    }
    return { ...readMnist(bytes, new Uint8Array(await readFile(labelsPath))), format: 'mnist', labelsPath };
  }
  const set = readCifar(bytes, variant);
  const namesPath = join(dirname(path), set.variant === 'cifar10' ? 'batches.meta.txt' : 'fine_label_names.txt');
  const classNames = existsSync(namesPath) ? readCifarClassNames(await readFile(namesPath, 'utf8')) : undefined;
  return { ...set, format: set.variant, labelsPath: path, ...(classNames ? { classNames } : {}) };
}
