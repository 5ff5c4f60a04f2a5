/**
 * TensorBudget: the bytes a reader may still allocate for decoded values, charged before each
 * allocation. A small file can declare far more than it holds (a compressed MAT array of uint8 zeros
 * declared as double, a strided PyTorch view with zero strides), so readers count what the *output*
 * will take — element count × bytes per element of the decoded type — and refuse it first. The
 * LimitError names what was refused, the figure, the limit and the option that raises it.
 */
import { LimitError, UsageError } from './errors.js';

/**
 * The reader limits a user may raise through the conversion API (`limits` of convert/inspectModel)
 * and the CLI (`--max-tensor-bytes`, `--max-inflated-bytes`); each reader documents its default.
 */
export interface ReaderLimits {
  /** Bytes all decoded tensors of one file may take (element count × bytes per element). */
  readonly maxTensorBytes?: number;
  /** Bytes the compressed parts of one file (MAT zlib elements, PyTorch zip entries) may inflate to. */
  readonly maxInflatedBytes?: number;
}

/** The CLI flag that sets each ReaderLimits option. */
export const READER_LIMIT_FLAGS: Readonly<Record<keyof ReaderLimits, string>> = {
  maxTensorBytes: '--max-tensor-bytes',
  maxInflatedBytes: '--max-inflated-bytes',
};

/** How a user raises a reader limit: the end of every reader LimitError's sentence (API option, and CLI flag where one exists). */
export function raiseLimitHint(option: string): string {
  const flag = (READER_LIMIT_FLAGS as Record<string, string>)[option];
  return `pass a larger ${option} option to the reader${flag ? ` (${flag} on the command line)` : ''} if the file is trusted`;
}

export class TensorBudget {
  private left: number;

  /** `limit` in bytes; `option` is the reader option that sets it, named in the error. */
  constructor(readonly limit: number, readonly option = 'maxTensorBytes') {
    if (!(limit >= 0)) throw new UsageError(`${option} must be a non-negative number of bytes, not ${limit}.`);
    this.left = limit;
  }

  /** Bytes still available. */
  get bytesLeft(): number {
    return this.left;
  }

  /**
   * Takes `bytes` for `what` (e.g. `tensor 'conv1.weight' of shape 64×3×3×3 (float32)`), or throws a
   * LimitError saying `${format}: ${what} would take N bytes, beyond …` before anything is allocated.
   */
  charge(format: string, what: string, bytes: number): void {
    if (!Number.isSafeInteger(bytes) || bytes > this.left) {
      const figure = Number.isSafeInteger(bytes) ? `${bytes} bytes` : 'more bytes than can be counted exactly';
      const room = this.left === this.limit ? `the ${this.limit}-byte limit` : `the ${this.left} bytes left of the ${this.limit}-byte limit`;
      throw new LimitError(`${format}: ${what} would take ${figure}, beyond ${room} (${this.option}); ${raiseLimitHint(this.option)}.`);
    }
    this.left -= bytes;
  }
}
