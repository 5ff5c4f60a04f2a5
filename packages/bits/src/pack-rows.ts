/**
 * Row-padded word packing: `rows` rows of `rowLength` values → rows × ⌈rowLength/32⌉ 32-bit
 * words; element j of a row is bit j mod 32 of the row's word ⌊j/32⌋ (LSB first), padding bits
 * zero (see convention.ts and row-layout.ts). Hand-written because no maintained library packs
 * float signs; the hot loop is the branch-free word kernel of sign-kernel.ts.
 */
import { checkRowArgs, wordsPerRow } from './row-layout.js';
import { float32Bits, packSignWords } from './sign-kernel.js';

/** Packs the signs of `values` (C order, `rows` × `rowLength`) into row-padded words. */
export function packRows(values: Float32Array, rows: number, rowLength: number): Uint32Array {
  checkRowArgs('packRows', rows, rowLength);
  if (values.length !== rows * rowLength) throw new RangeError(`packRows: ${rows} rows of ${rowLength} need ${rows * rowLength} values but ${values.length} were given.`);
  const rowWords = wordsPerRow(rowLength);
  const out = new Uint32Array(rows * rowWords);
  const raw = float32Bits(values);
  for (let r = 0; r < rows; r++) packSignWords(raw, r * rowLength, rowLength, out, r * rowWords, 'packRows');
  return out;
}

/** Float32 bit pattern of −1; XOR with bit << 31 turns it into +1 (0x3f800000). */
const MINUS_ONE_BITS = 0xbf800000;

/** Decodes row-padded words to `rows` × `rowLength` floats of ±1 (bit 1 → +1, bit 0 → −1). */
export function unpackRows(words: Uint32Array, rows: number, rowLength: number): Float32Array {
  checkRowArgs('unpackRows', rows, rowLength);
  const rowWords = wordsPerRow(rowLength);
  if (words.length !== rows * rowWords) throw new RangeError(`unpackRows: ${rows} rows of ${rowLength} need ${rows * rowWords} words but ${words.length} were given.`);
  const out = new Float32Array(rows * rowLength);
  const raw = float32Bits(out);
  const full = rowLength >>> 5;
  const rest = rowLength & 31;
  for (let r = 0; r < rows; r++) {
    let k = r * rowLength;
    const base = r * rowWords;
    for (let w = 0; w < full; w++) {
      const word = words[base + w]!;
      for (let j = 0; j < 32; j++) raw[k + j] = MINUS_ONE_BITS ^ (((word >>> j) & 1) << 31);
      k += 32;
    }
    if (rest !== 0) {
      const word = words[base + full]!;
      for (let j = 0; j < rest; j++) raw[k + j] = MINUS_ONE_BITS ^ (((word >>> j) & 1) << 31);
    }
  }
  return out;
}

/** Index of the first row whose padding bits are not all zero, or −1 when every row is clean. */
export function findDirtyRowPadding(words: Uint32Array, rows: number, rowLength: number): number {
  const rest = rowLength & 31;
  if (rest === 0) return -1;
  const rowWords = wordsPerRow(rowLength);
  const padding = ~(0xffffffff >>> (32 - rest));
  for (let r = 0; r < rows; r++) if ((words[r * rowWords + rowWords - 1]! & padding) !== 0) return r;
  return -1;
}
