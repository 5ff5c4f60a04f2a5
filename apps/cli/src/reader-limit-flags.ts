/**
 * The reader-limit flags shared by `convert` and `inspect`: `--max-tensor-bytes <n>` and
 * `--max-inflated-bytes <n>` raise (or lower) the readers' safety limits for trusted large files.
 * A value is a whole number of bytes, optionally with a binary (KiB, MiB, GiB, TiB) or decimal
 * (kB, MB, GB, TB) suffix; anything else is a usage error naming the flag and the value.
 */
import type { Command } from 'commander';
import { READER_LIMIT_FLAGS, UsageError, type ReaderLimits } from '@onebit/core';

export interface ReaderLimitFlags {
  maxTensorBytes?: string;
  maxInflatedBytes?: string;
}

const UNITS: Readonly<Record<string, number>> = {
  '': 1, b: 1,
  kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4,
  kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
};

/**
 * Bytes in `value` ("1073741824", "2GiB", "512 MiB", "1.5GB"; units case-insensitive); the result
 * must be a whole, safe, positive integer. Hand-written: one regex, where a library's rules
 * (e.g. `bytes` reading "GB" as 1024³) would differ from the IEC/SI meaning users expect.
 */
export function parseByteSize(value: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new UsageError(`${flag} must be a positive whole number of bytes, optionally with a suffix such as 512MiB or 2GiB, not '${value}'.`);
  }
  return bytes;
}

/** Adds the two flags to `command`. */
export function addReaderLimitOptions(command: Command): Command {
  return command
    .option(`${READER_LIMIT_FLAGS.maxTensorBytes} <n>`, 'raise the bytes all decoded tensors of the input may take, for a trusted large file (e.g. 4GiB; default per format, see README)')
    .option(`${READER_LIMIT_FLAGS.maxInflatedBytes} <n>`, 'raise the bytes the compressed parts of a MAT or PyTorch zip input may inflate to, for a trusted large file (e.g. 4GiB)');
}

/** The ReaderLimits the flags ask for (only the ones given); throws UsageError for a bad value. */
export function readerLimits(flags: ReaderLimitFlags): ReaderLimits {
  return {
    ...(flags.maxTensorBytes !== undefined ? { maxTensorBytes: parseByteSize(flags.maxTensorBytes, READER_LIMIT_FLAGS.maxTensorBytes) } : {}),
    ...(flags.maxInflatedBytes !== undefined ? { maxInflatedBytes: parseByteSize(flags.maxInflatedBytes, READER_LIMIT_FLAGS.maxInflatedBytes) } : {}),
  };
}
