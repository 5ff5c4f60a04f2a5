/**
 * Reading a file in pieces, so data sets are never held whole: `readFileRange` reads `length` bytes
 * at `position`; `forEachChunk` walks a file in fixed-size chunks (for hashing and label passes).
 */
import { open } from 'node:fs/promises';
import { TruncatedError } from '@onebit/core';

/** `length` bytes of `path` from byte `position`; a TruncatedError (naming `format`) when the file ends first. */
export async function readFileRange(path: string, position: number, length: number, format: string): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  const file = await open(path, 'r');
  try {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await file.read(out, done, length - done, position + done);
      if (bytesRead === 0) throw new TruncatedError(format, `${length} bytes of ${path}`, position, length, done);
      done += bytesRead;
    }
  } finally {
    await file.close();
  }
  return out;
}

/** Calls `fn` with consecutive chunks of `path` of `chunkBytes` (the last may be shorter) and their byte offsets. */
export async function forEachChunk(path: string, chunkBytes: number, fn: (chunk: Uint8Array, offset: number) => void): Promise<void> {
  const file = await open(path, 'r');
  try {
    const buffer = new Uint8Array(chunkBytes);
    for (let offset = 0; ; ) {
      let filled = 0;
      while (filled < chunkBytes) {
        const { bytesRead } = await file.read(buffer, filled, chunkBytes - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled === 0) return;
      fn(buffer.subarray(0, filled), offset);
      offset += filled;
      if (filled < chunkBytes) return;
    }
  } finally {
    await file.close();
  }
}
