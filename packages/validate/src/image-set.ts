/**
 * The labelled image set every dataset reader returns and validation consumes: N images of
 * uint8 pixels stored N×C×H×W (channel planes, rows top to bottom) with one class label each.
 */

export interface ImageSet {
  readonly n: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  /** N×C×H×W bytes, image after image. */
  readonly pixels: Uint8Array;
  /** One class index per image, in data order. */
  readonly labels: ArrayLike<number>;
  /** What the set was read from, hashed (reports record it as `dataSha256`); absent for sets built in memory. */
  readonly digest?: DataDigest;
}

/** How a data set was digested into a report's `dataSha256`. */
export interface DataDigest {
  /** Lower-case hex SHA-256. */
  readonly sha256: string;
  /** What was hashed, e.g. "the bytes of test_batch.bin". */
  readonly of: string;
}
