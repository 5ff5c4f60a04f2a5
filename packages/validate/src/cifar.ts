/**
 * CIFAR-10 and CIFAR-100 binary batches (https://www.cs.toronto.edu/~kriz/cifar.html): fixed-size
 * records with no header. CIFAR-10: label byte + 3072 pixel bytes (R, G, B planes of 32×32, rows top
 * to bottom); CIFAR-100: coarse label byte + fine label byte + the same 3072 pixel bytes. Read
 * whole (`readCifar`) or lazily, a batch of records at a time (`openCifar`).
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { FormatError, assertNotWrongFile } from '@onebit/core';
import { forEachChunk, readFileRange } from './file-range.js';
import type { DataDigest, ImageSet } from './image-set.js';
import { checkReadRange, type ImageSource } from './image-source.js';

export type CifarVariant = 'cifar10' | 'cifar100';

export interface CifarSet extends ImageSet {
  readonly variant: CifarVariant;
  readonly channels: 3;
  readonly height: 32;
  readonly width: 32;
  /** Fine labels for CIFAR-100; the only labels for CIFAR-10. */
  readonly labels: Uint8Array;
  /** CIFAR-100 only: the 20 superclass labels. */
  readonly coarseLabels?: Uint8Array;
}

const PIXELS = 3 * 32 * 32;
const RECORD: Readonly<Record<CifarVariant, number>> = { cifar10: PIXELS + 1, cifar100: PIXELS + 2 };

/** Which variant a file of `length` bytes can be, from its record size; throws when neither fits or both do. */
export function detectCifarVariant(length: number): CifarVariant {
  const fits = (Object.keys(RECORD) as CifarVariant[]).filter((v) => length % RECORD[v] === 0);
  if (length === 0) throw new FormatError('CIFAR', 'the file is empty (0 bytes) at byte 0.', 0);
  if (fits.length === 0) {
    throw new FormatError('CIFAR', `file length ${length} is not a whole number of 3073-byte (CIFAR-10) or 3074-byte (CIFAR-100) records; it ends mid-record at byte ${length - (length % RECORD.cifar10)}.`, length - (length % RECORD.cifar10));
  }
  if (fits.length > 1) throw new FormatError('CIFAR', `file length ${length} is a whole number of both CIFAR-10 and CIFAR-100 records; say which variant it is.`, 0);
  return fits[0]!;
}

/** Throws unless a file of `length` bytes is a whole number of `kind` records; returns the image count. */
function cifarImageCount(length: number, kind: CifarVariant): number {
  const record = RECORD[kind];
  if (length % record !== 0) {
    const end = length - (length % record);
    throw new FormatError('CIFAR', `file length ${length} is not a whole number of ${record}-byte ${kind} records; the last record starting at byte ${end} has only ${length - end} bytes.`, end);
  }
  return length / record;
}

/**
 * Parses whole `kind` records (`bytes` starts at image `first` of the file, so messages give file
 * offsets and image indices); pixels are copied only when `withPixels`.
 */
function parseCifarRecords(bytes: Uint8Array, kind: CifarVariant, first: number, withPixels: boolean): { pixels: Uint8Array; labels: Uint8Array; coarse?: Uint8Array } {
  const record = RECORD[kind];
  const n = bytes.length / record;
  const pixels = new Uint8Array(withPixels ? n * PIXELS : 0);
  const labels = new Uint8Array(n);
  const coarse = kind === 'cifar100' ? new Uint8Array(n) : undefined;
  const classes = kind === 'cifar100' ? 100 : 10;
  const base = first * record;
  for (let i = 0; i < n; i++) {
    const at = i * record;
    if (coarse) {
      const c = bytes[at]!;
      if (c >= 20) throw new FormatError('CIFAR', `coarse label ${c} of image ${first + i} at byte ${base + at} is not below 20.`, base + at);
      coarse[i] = c;
    }
    const labelAt = at + record - PIXELS - 1;
    const label = bytes[labelAt]!;
    if (label >= classes) throw new FormatError('CIFAR', `label ${label} of image ${first + i} at byte ${base + labelAt} is not below ${classes} (is this a ${kind} file?).`, base + labelAt);
    labels[i] = label;
    if (withPixels) pixels.set(bytes.subarray(labelAt + 1, at + record), i * PIXELS);
  }
  return { pixels, labels, ...(coarse ? { coarse } : {}) };
}

/** Reads a CIFAR-10 or CIFAR-100 binary batch; the variant is detected from the record size unless given. */
export function readCifar(bytes: Uint8Array, variant?: CifarVariant): CifarSet {
  assertNotWrongFile(bytes, 'the CIFAR file');
  const kind = variant ?? detectCifarVariant(bytes.length);
  const n = cifarImageCount(bytes.length, kind);
  const { pixels, labels, coarse } = parseCifarRecords(bytes, kind, 0, true);
  return { variant: kind, n, channels: 3, height: 32, width: 32, pixels, labels, ...(coarse ? { coarseLabels: coarse } : {}) };
}

/** A CIFAR file opened lazily: labels held, pixels read per batch at their byte offset. */
export interface CifarSource extends ImageSource {
  readonly variant: CifarVariant;
  readonly labels: Uint8Array;
  readonly coarseLabels?: Uint8Array;
  readonly digest: DataDigest;
}

/** Records per chunk of the labels-and-hash pass (about 3 MB). */
const CHUNK_RECORDS = 1000;

/**
 * Opens the CIFAR batch at `path` without holding its pixels: one pass in 3 MB chunks checks every
 * label and computes the file's SHA-256; `read(start, end)` then reads just those records.
 * Same errors as readCifar (checked by file length first, then label by label).
 */
export async function openCifar(path: string, variant?: CifarVariant): Promise<CifarSource> {
  const length = statSync(path).size;
  // Wrong files (LFS pointers, HTML pages) are small: look at the whole file when it is.
  assertNotWrongFile(await readFileRange(path, 0, Math.min(length, 1 << 16), 'CIFAR'), 'the CIFAR file');
  const kind = variant ?? detectCifarVariant(length);
  const n = cifarImageCount(length, kind);
  const record = RECORD[kind];
  const labels = new Uint8Array(n);
  const coarse = kind === 'cifar100' ? new Uint8Array(n) : undefined;
  const hash = createHash('sha256');
  await forEachChunk(path, CHUNK_RECORDS * record, (chunk, offset) => {
    hash.update(chunk);
    const parsed = parseCifarRecords(chunk, kind, offset / record, false);
    labels.set(parsed.labels, offset / record);
    if (coarse && parsed.coarse) coarse.set(parsed.coarse, offset / record);
  });
  return {
    variant: kind, n, channels: 3, height: 32, width: 32, labels, ...(coarse ? { coarseLabels: coarse } : {}),
    digest: { sha256: hash.digest('hex'), of: `the bytes of ${basename(path)}` },
    read: async (start, end) => {
      checkReadRange(start, end, n);
      return parseCifarRecords(await readFileRange(path, start * record, (end - start) * record, 'CIFAR'), kind, start, true).pixels;
    },
  };
}

/** Class names from `batches.meta.txt` (or CIFAR-100's `fine_label_names.txt`): one per line, blank lines ignored. */
export function readCifarClassNames(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
}
