/**
 * The one-bit convention, written once; every packer, decoder and file format follows it:
 * - bit 1 means +1 and bit 0 means −1;
 * - sign(0) = +1 (also for −0); NaN is refused by the packers;
 * - bits are packed least-significant first: element k lands in bit (k mod 8) of byte ⌊k/8⌋
 *   (and in bit (k mod 32) of little-endian 32-bit word ⌊k/32⌋ — the same bytes);
 * - padding bits past the last element are zero.
 * The scale is never baked into the bits; it travels beside them.
 */

/** Value a set bit decodes to. */
export const BIT_ONE = 1;
/** Value a clear bit decodes to. */
export const BIT_ZERO = -1;

/** sign(x) with sign(±0) = +1, as a bit: 1 for x ≥ 0, 0 for x < 0. */
export function signBit(x: number): 0 | 1 {
  return x < 0 ? 0 : 1;
}
