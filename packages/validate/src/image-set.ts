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
}
