/**
 * Inflates the zlib stream of an miCOMPRESSED element with fflate, feeding it in small slices so
 * that the output can be counted and refused once it passes a limit (a zip bomb never gets to
 * allocate its full size: the output of one 16 KB slice, at most ~16 MiB at deflate's 1032:1, is all
 * that is held before the check). The limit is for the whole file, so many compressed elements
 * cannot add up past it either.
 */
import { FormatError, LimitError, raiseLimitHint } from '@onebit/core';
import { Unzlib } from 'fflate';

const SLICE_BYTES = 16 * 1024;

/**
 * The inflated bytes of `compressed`; `offset` is the element's position, for messages. `maxBytes`
 * (the maxInflatedBytes option) bounds the whole file's inflated data, of which earlier compressed
 * elements already used `used`. `nameOf` reads the variable's name from the first inflated bytes
 * for the LimitError (undefined when they are too few or unreadable).
 */
export function inflateLimited(compressed: Uint8Array, maxBytes: number, offset: number, used = 0, nameOf?: (head: Uint8Array) => string | undefined): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const stream = new Unzlib((chunk, final) => {
    total += chunk.length;
    if (used + total > maxBytes) {
      const name = nameOf?.(chunks[0] ?? chunk);
      const what = `MAT: compressed variable ${name === undefined ? '' : `"${name}" `}at byte ${offset}`;
      throw new LimitError(used === 0
        ? `${what} inflates to more than the ${maxBytes}-byte limit (maxInflatedBytes); ${raiseLimitHint('maxInflatedBytes')}.`
        : `${what} inflates past the ${maxBytes}-byte limit (maxInflatedBytes) on top of the ${used} bytes earlier compressed variables inflated to; ${raiseLimitHint('maxInflatedBytes')}.`);
    }
    chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    for (let start = 0; start < compressed.length; start += SLICE_BYTES) {
      const end = Math.min(start + SLICE_BYTES, compressed.length);
      stream.push(compressed.subarray(start, end), end === compressed.length);
    }
    if (compressed.length === 0) stream.push(compressed, true);
  } catch (error) {
    if (error instanceof LimitError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new FormatError('MAT', `compressed element at byte ${offset} is not valid zlib data (${why}).`, offset, { cause: error });
  }
  if (!ended) throw new FormatError('MAT', `compressed element at byte ${offset} ends before its zlib stream does.`, offset);
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * Up to `maxBytes` of what the start of a zlib stream inflates to, for naming the variable of a
 * truncated or damaged element; whatever cannot be inflated gives a shorter (possibly empty) result.
 */
export function inflatePrefix(compressed: Uint8Array, maxBytes: number): Uint8Array {
  const out = new Uint8Array(maxBytes);
  let total = 0;
  const stream = new Unzlib((chunk) => {
    const n = Math.min(chunk.length, maxBytes - total);
    out.set(chunk.subarray(0, n), total);
    total += n;
  });
  try {
    for (let start = 0; start < compressed.length && total < maxBytes; start += 1024) stream.push(compressed.subarray(start, Math.min(start + 1024, compressed.length)), false);
  } catch {
    // a damaged stream: keep what came out before the damage
  }
  return out.subarray(0, total);
}
