/**
 * A labelled image set read on demand: validation asks for one batch of images at a time
 * (`read(start, end)`), so a lazy source (an image folder decoded file by file, a CIFAR or MNIST file
 * read at the batch's byte offset) keeps only that batch in memory, however large the data set and
 * whatever the shard. An in-memory ImageSet is a source too (`imageSource`).
 */
import type { DataDigest, ImageSet } from './image-set.js';

export interface ImageSource {
  readonly n: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  /** One class index per image, in data order (labels are small and always held). */
  readonly labels: ArrayLike<number>;
  /** What the set was read from, hashed (reports record it as `dataSha256`). */
  readonly digest?: DataDigest;
  /**
   * Images [start, end) as (end − start)×C×H×W uint8 planes, read or decoded now.
   * @throws RangeError for a range outside [0, n]; FormatError/LimitError for images that cannot be read.
   */
  read(start: number, end: number): Promise<Uint8Array>;
}

/** Whether `set` is a lazy source rather than an in-memory ImageSet. */
export function isImageSource(set: ImageSet | ImageSource): set is ImageSource {
  return typeof (set as Partial<ImageSource>).read === 'function';
}

/** Throws a RangeError unless 0 ≤ start ≤ end ≤ n are integers. */
export function checkReadRange(start: number, end: number, n: number): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > n) {
    throw new RangeError(`images [${start}, ${end}) are not a range of the ${n} images.`);
  }
}

/** An in-memory set as a source: `read` returns views of its pixels (no copy). */
export function imageSource(set: ImageSet): ImageSource {
  const size = set.channels * set.height * set.width;
  return {
    n: set.n, channels: set.channels, height: set.height, width: set.width, labels: set.labels,
    ...(set.digest ? { digest: set.digest } : {}),
    read: async (start, end) => {
      checkReadRange(start, end, set.n);
      return set.pixels.subarray(start * size, end * size);
    },
  };
}
