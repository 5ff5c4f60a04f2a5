/**
 * ImageNet-style image folders: JPEG/PNG files plus a labels file, either `labels.csv`
 * (`filename,class_index` with a header line) or the `filename index` ground-truth format
 * (`val_ground_truth.txt`, one `ILSVRC2012_val_00000001.JPEG 65` per line), and an optional class
 * list (`classes.txt`: `index<TAB>wnid<TAB>names`). Images are taken in the labels file's order,
 * keeping only files present in the folder; the folder or its parent is searched for the files.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FormatError, allocate, UsageError } from '@onebit/core';
import type { DataDigest, ImageSet } from './image-set.js';
import { checkReadRange, type ImageSource } from './image-source.js';
import { sha256Hex } from './report-identity.js';
import { loadPixels, type Geometry } from './resize.js';

const IMAGE_EXTENSIONS = /\.(jpe?g|png)$/i;
/** IMAGE_EXTENSIONS in words, for messages. */
const IMAGE_EXTENSION_NAMES = '.jpg, .jpeg or .png (any case)';
const LABEL_FILES = ['labels.csv', 'labels.txt', 'val_ground_truth.txt'];

export interface ImageFolderEntry {
  readonly file: string;
  readonly label: number;
}

/** Parses `labels.csv` (`filename,class_index`, header optional) or `filename index` lines. */
export function parseLabelsFile(text: string, where: string): ImageFolderEntry[] {
  const entries: ImageFolderEntry[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parts = line.includes(',') ? line.split(',').map((s) => s.trim()) : line.split(/\s+/);
    if (i === 0 && parts.length === 2 && !/^\d+$/.test(parts[1]!)) return; // header, e.g. "filename,class_index"
    const label = Number(parts[1]);
    if (parts.length !== 2 || !Number.isInteger(label) || label < 0 || parts[1] === '') {
      throw new FormatError('labels', `line ${i + 1} of ${where} is ${JSON.stringify(line)}, not "filename,class_index" or "filename index".`);
    }
    entries.push({ file: parts[0]!, label });
  });
  return entries;
}

/** Class names from `classes.txt` (`index<TAB>wnid<TAB>names`); the names column, first name kept whole. */
export function parseClassList(text: string, where: string): string[] {
  const names: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const parts = raw.split('\t');
    const index = Number(parts[0]);
    if (parts.length < 2 || index !== names.length) {
      throw new FormatError('classes', `line ${i + 1} of ${where} is ${JSON.stringify(raw)}, not "${names.length}<TAB>wnid<TAB>names".`);
    }
    names.push((parts[2] ?? parts[1]!).trim());
  });
  return names;
}

/** The first of `names` found in `dir` or its parent. */
function findBeside(dir: string, names: readonly string[]): string | undefined {
  for (const d of [dir, dirname(dir)]) for (const name of names) if (existsSync(join(d, name))) return join(d, name);
  return undefined;
}

/** Whether `path` is a folder holding at least one JPEG/PNG file. */
export function isImageFolder(path: string): boolean {
  return statSync(path).isDirectory() && readdirSync(path).some((f) => IMAGE_EXTENSIONS.test(f));
}

export interface ImageFolderSet extends ImageSet {
  readonly files: string[];
  readonly labelsPath: string;
  readonly classNames?: string[];
}

/** An image folder opened lazily: labels and file names held, images decoded per `read`. */
export interface ImageFolderSource extends ImageSource {
  readonly files: string[];
  readonly labelsPath: string;
  readonly classNames?: string[];
  readonly digest: DataDigest;
}

export interface ImageFolderOptions {
  geometry: Geometry;
  /** Labels file; default: the first of labels.csv, labels.txt, val_ground_truth.txt beside the images. */
  labelsPath?: string;
  /** Decode only the images of the half-open index range this gives for the folder's image count (the rest keep their labels, pixels stay zero). */
  range?: (n: number) => readonly [number, number];
  /** Called after each image decoded, with the count so far and the count asked for by this read. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * The digest of a folder's image set that every shard computes alike without reading every image:
 * SHA-256 of the manifest text with one line `file<TAB>label<TAB>byte size` per labelled image, in
 * order. It changes when an image is added, removed, relabelled or changes size (not when one is
 * rewritten with exactly the same size).
 */
export function imageFolderDigest(dir: string, entries: readonly ImageFolderEntry[]): DataDigest {
  const manifest = entries.map((e) => `${e.file}\t${e.label}\t${statSync(join(dir, e.file)).size}\n`).join('');
  return { sha256: sha256Hex(manifest), of: `the manifest of ${basename(dir)}: one "file<TAB>label<TAB>byte size" line per labelled image, in labels-file order` };
}

/** Images decoded at once: enough to keep libvips busy without holding many encoded files. */
const DECODES_IN_FLIGHT = 4;

/**
 * Opens the labelled images of `dir` in labels-file order without decoding any: `read(start, end)`
 * decodes just those files (with `geometry` applied) into a fresh (end − start)×C×H×W buffer, so a
 * shard or a batch holds only its own images.
 * @throws FormatError for a folder with no JPEG/PNG files, a missing or malformed labels file, a folder none of whose images is listed, or an image that does not decode.
 */
export async function openImageFolder(dir: string, options: Omit<ImageFolderOptions, 'range'>): Promise<ImageFolderSource> {
  const present = new Set(readdirSync(dir).filter((f) => IMAGE_EXTENSIONS.test(f)));
  if (present.size === 0) throw new FormatError('image folder', `${dir} holds no images (no ${IMAGE_EXTENSION_NAMES} files); pass a folder of labelled JPEG/PNG images, a CIFAR binary batch or an MNIST IDX images file.`);
  const labelsPath = options.labelsPath ?? findBeside(dir, LABEL_FILES);
  if (!labelsPath) throw new FormatError('image folder', `${dir} holds images but no ${LABEL_FILES.join(' / ')} was found in it or its parent.`);
  const entries = parseLabelsFile(await readFile(labelsPath, 'utf8'), labelsPath).filter((e) => present.has(e.file));
  if (entries.length === 0) throw new FormatError('image folder', `none of the ${present.size} images in ${dir} is listed in ${labelsPath}.`);
  const classesPath = findBeside(dir, ['classes.txt']);
  const classNames = classesPath ? parseClassList(await readFile(classesPath, 'utf8'), classesPath) : undefined;
  const crop = options.geometry.crop;
  if (crop === undefined) throw new UsageError(`An image folder needs a centre crop size so that every image has the same shape; ${dir} was given none.`);
  const channels = options.geometry.channels ?? 3;
  const size = channels * crop * crop;
  const n = entries.length;

  const read = async (start: number, end: number): Promise<Uint8Array> => {
    checkReadRange(start, end, n);
    const pixels = allocate('uint8', (end - start) * size, `${end - start} decoded images of ${channels}×${crop}×${crop} from ${dir}`);
    let next = start;
    let done = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < end; i = next++) {
        const path = join(dir, entries[i]!.file);
        const image = await loadPixels(new Uint8Array(await readFile(path)), options.geometry, path);
        pixels.set(image.pixels, (i - start) * size);
        options.onProgress?.(++done, end - start);
      }
    };
    await Promise.all(Array.from({ length: DECODES_IN_FLIGHT }, worker));
    return pixels;
  };
  return {
    n, channels, height: crop, width: crop, labels: entries.map((e) => e.label), files: entries.map((e) => e.file), labelsPath,
    digest: imageFolderDigest(dir, entries), read,
    ...(classNames ? { classNames } : {}),
  };
}

/**
 * Reads the labelled images of `dir` in labels-file order into memory, decoding only `options.range`
 * (default: all). Holds every image: validation uses openImageFolder, which holds one batch.
 */
export async function readImageFolder(dir: string, options: ImageFolderOptions): Promise<ImageFolderSet> {
  const { range, ...rest } = options;
  const source = await openImageFolder(dir, rest);
  const [start, end] = range ? range(source.n) : [0, source.n];
  const size = source.channels * source.height * source.width;
  const pixels = allocate('uint8', source.n * size, `all ${source.n} decoded images of ${dir} (validation reads them a batch at a time instead)`);
  pixels.set(await source.read(start, end), start * size);
  const { read: _read, ...set } = source;
  return { ...set, pixels };
}
