/**
 * What the harness needs to fuzz one reader: the seed files its mutation fuzzer starts from, an
 * optional fast-check generator of structured inputs, the call that reads the bytes, and how much
 * memory a case may take relative to its input (deflate-based formats may expand up to 1032×).
 */
import type fc from 'fast-check';
import type { Seed } from './mutation.js';

export interface FuzzTarget {
  /** Short name used by --target and in the summary table. */
  readonly name: string;
  /** Seed files; loaded once per campaign. Shared files that are absent are skipped. */
  seeds(): Seed[];
  /** Structured inputs built from scratch (valid, near-valid or hostile), if the format has a generator. */
  readonly generator?: fc.Arbitrary<Uint8Array>;
  /** For record files: the record size, enabling duplicated and reordered records. */
  readonly recordSize?: number;
  /** Reads the bytes; returns anything or throws. Must never run input-controlled code. */
  read(bytes: Uint8Array): unknown;
  /** Bytes a case may allocate per input byte on top of a fixed allowance (default 16). */
  readonly memoryFactor?: number;
}
