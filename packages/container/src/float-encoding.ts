/**
 * The optional `shuffle-deflate` encoding of plain tensor sections: the bytes of the elements are
 * regrouped by position (all first bytes, then all second bytes, … — the "byte shuffle" of HDF5
 * and Blosc, which puts the slowly varying exponent bytes together) and then deflated (fflate).
 * Lossless; on the WRN-20-10's batch-norm vectors it saves about 17 %.
 */
import { deflateSync, inflateSync } from 'fflate';
import { FormatError, LimitError } from '@onebit/core';
import { FORMAT } from './preamble.js';

export type FloatEncoding = 'raw' | 'shuffle-deflate';

/** deflate cannot expand more than 1032:1, so a longer claimed raw length is a lie. */
export const MAX_DEFLATE_RATIO = 1032;

export function shuffleDeflate(raw: Uint8Array, elementSize: number): Uint8Array {
  const n = raw.length / elementSize;
  const shuffled = new Uint8Array(raw.length);
  for (let i = 0; i < n; i++) for (let k = 0; k < elementSize; k++) shuffled[k * n + i] = raw[i * elementSize + k]!;
  return deflateSync(shuffled, { level: 9 });
}

/** Inverse of shuffleDeflate; `rawLength` comes from the entry's dims and dtype, `at` is the section's file offset. */
export function inflateUnshuffle(stored: Uint8Array, elementSize: number, rawLength: number, what: string, at: number): Uint8Array {
  if (rawLength > stored.length * MAX_DEFLATE_RATIO + 1024) {
    throw new LimitError(`${FORMAT}: ${what} claims ${rawLength} bytes from a ${stored.length}-byte deflate stream at byte ${at}, more than deflate can expand.`);
  }
  let shuffled: Uint8Array;
  try {
    // A fixed output buffer bounds memory: a stream that would overrun it cannot allocate more.
    shuffled = inflateSync(stored, { out: new Uint8Array(rawLength) });
  } catch (cause) {
    throw new FormatError(FORMAT, `${what} at byte ${at} is not a valid deflate stream (${(cause as Error).message}).`, at, { cause });
  }
  if (shuffled.length !== rawLength) throw new FormatError(FORMAT, `${what} at byte ${at} inflates to ${shuffled.length} bytes; its dims and dtype need ${rawLength}.`, at);
  const n = rawLength / elementSize;
  const raw = new Uint8Array(rawLength);
  for (let i = 0; i < n; i++) for (let k = 0; k < elementSize; k++) raw[i * elementSize + k] = shuffled[k * n + i]!;
  return raw;
}
