/**
 * Flat sign packing: `n` values → ⌈n/8⌉ bytes, element k in bit k mod 8 of byte ⌊k/8⌋ (see
 * convention.ts). Packing runs the word kernel of sign-kernel.ts; unpacking writes the float32
 * bit patterns of ±1 directly. Hand-written because no maintained library packs float signs.
 */
import { float32Bits, packSignWords } from './sign-kernel.js';

/** Packs the signs of `values` (sign(0) = +1) into ⌈n/8⌉ bytes; padding bits are zero. */
export function packSigns(values: Float32Array): Uint8Array {
  const n = values.length;
  const words = new Uint32Array(Math.ceil(n / 32));
  packSignWords(float32Bits(values), 0, n, words, 0, 'packSigns');
  return new Uint8Array(words.buffer, 0, Math.ceil(n / 8));
}

/** Float32 bit pattern of −1; XOR with bit << 31 turns it into +1 (0x3f800000). */
const MINUS_ONE_BITS = 0xbf800000;

/** Decodes `count` elements of flat-packed bits to ±1 floats (bit 1 → +1, bit 0 → −1). */
export function unpackSigns(bytes: Uint8Array, count: number): Float32Array {
  if (bytes.length < Math.ceil(count / 8)) throw new RangeError(`unpackSigns: ${count} elements need ${Math.ceil(count / 8)} bytes but ${bytes.length} were given.`);
  const out = new Float32Array(count);
  const raw = float32Bits(out);
  const fullBytes = count >>> 3;
  for (let b = 0; b < fullBytes; b++) {
    const byte = bytes[b]!;
    const k = b << 3;
    for (let j = 0; j < 8; j++) raw[k + j] = MINUS_ONE_BITS ^ (((byte >>> j) & 1) << 31);
  }
  for (let k = fullBytes << 3; k < count; k++) raw[k] = MINUS_ONE_BITS ^ (((bytes[k >>> 3]! >>> (k & 7)) & 1) << 31);
  return out;
}
