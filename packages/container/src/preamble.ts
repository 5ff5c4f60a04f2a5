/**
 * The fixed 20-byte start of a `.onebit` file (FORMAT.md): magic, version, header length and
 * header CRC, plus the 64-byte section alignment and a cheap sniff that never throws.
 */

/** `\x89ONEBIT\n`: the high first byte catches 7-bit transfers, the `\n` text-mode rewrites. */
export const MAGIC: readonly number[] = [0x89, 0x4f, 0x4e, 0x45, 0x42, 0x49, 0x54, 0x0a];
/** The newest format version this code writes and reads (FORMAT.md "Versions"). */
export const VERSION = 2;
/** Version 1 files (no graph encoding) are still read; a writer emits 1 when it uses no version-2 feature. */
export const MIN_VERSION = 1;
/** magic (8) + version (4) + header length (4) + header CRC-32 (4). */
export const PREAMBLE_BYTES = 20;
/** Every section starts at a multiple of this many bytes from the file start. */
export const ALIGNMENT = 64;
/** Format name used in error messages. */
export const FORMAT = 'onebit';

/** `x` rounded up to a multiple of ALIGNMENT. */
export function align(x: number): number {
  return Math.ceil(x / ALIGNMENT) * ALIGNMENT;
}

/** True when `bytes` starts with the onebit magic. Never throws. */
export function sniffContainer(bytes: Uint8Array): boolean {
  if (bytes.length < MAGIC.length) return false;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) return false;
  return true;
}

/** True when `bytes` is shorter than the magic and agrees with it so far (a truncated file). */
export function isMagicPrefix(bytes: Uint8Array): boolean {
  if (bytes.length >= MAGIC.length) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== MAGIC[i]) return false;
  return true;
}
