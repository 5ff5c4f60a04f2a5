/**
 * CIFAR-10 and CIFAR-100 binary batches (https://www.cs.toronto.edu/~kriz/cifar.html): fixed-size
 * records with no header. CIFAR-10: label byte + 3072 pixel bytes (R, G, B planes of 32×32, rows top
 * to bottom); CIFAR-100: coarse label byte + fine label byte + the same 3072 pixel bytes.
 */
import { FormatError, assertNotWrongFile } from '@onebit/core';
import type { ImageSet } from './image-set.js';

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

/** Reads a CIFAR-10 or CIFAR-100 binary batch; the variant is detected from the record size unless given. */
export function readCifar(bytes: Uint8Array, variant?: CifarVariant): CifarSet {
  assertNotWrongFile(bytes, 'the CIFAR file');
  const kind = variant ?? detectCifarVariant(bytes.length);
  const record = RECORD[kind];
  if (bytes.length % record !== 0) {
    const end = bytes.length - (bytes.length % record);
    throw new FormatError('CIFAR', `file length ${bytes.length} is not a whole number of ${record}-byte ${kind} records; the last record starting at byte ${end} has only ${bytes.length - end} bytes.`, end);
  }
  const n = bytes.length / record;
  const pixels = new Uint8Array(n * PIXELS);
  const labels = new Uint8Array(n);
  const coarse = kind === 'cifar100' ? new Uint8Array(n) : undefined;
  const classes = kind === 'cifar100' ? 100 : 10;
  for (let i = 0; i < n; i++) {
    const at = i * record;
    if (coarse) {
      const c = bytes[at]!;
      if (c >= 20) throw new FormatError('CIFAR', `coarse label ${c} of image ${i} at byte ${at} is not below 20.`, at);
      coarse[i] = c;
    }
    const labelAt = at + record - PIXELS - 1;
    const label = bytes[labelAt]!;
    if (label >= classes) throw new FormatError('CIFAR', `label ${label} of image ${i} at byte ${labelAt} is not below ${classes} (is this a ${kind} file?).`, labelAt);
    labels[i] = label;
    pixels.set(bytes.subarray(labelAt + 1, at + record), i * PIXELS);
  }
  return { variant: kind, n, channels: 3, height: 32, width: 32, pixels, labels, ...(coarse ? { coarseLabels: coarse } : {}) };
}

/** Class names from `batches.meta.txt` (or CIFAR-100's `fine_label_names.txt`): one per line, blank lines ignored. */
export function readCifarClassNames(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
}
