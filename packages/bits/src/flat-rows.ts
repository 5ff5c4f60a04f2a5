/**
 * Conversions between the flat sign bytes of packSigns (BinaryWeight.bits: no row padding) and
 * the row-padded words of packRows, by shifting whole 32-bit words — never bit by bit.
 * Hand-written because no maintained library does bit-offset word copies on typed arrays.
 */
import { checkRowArgs, wordsPerRow } from './row-layout.js';

/** Copies bytes into a zero-padded word array with one spare word, so reads at word+1 are safe. */
function bytesToWords(bytes: Uint8Array, wordCount: number): Uint32Array {
  const words = new Uint32Array(wordCount + 1);
  new Uint8Array(words.buffer).set(bytes);
  return words;
}

/** Row-padded words of `rows` × `rowLength` signs, from their flat packSigns bytes. */
export function flatToRowWords(bytes: Uint8Array, rows: number, rowLength: number): Uint32Array {
  checkRowArgs('flatToRowWords', rows, rowLength);
  const n = rows * rowLength;
  if (bytes.length !== Math.ceil(n / 8)) throw new RangeError(`flatToRowWords: ${n} elements need ${Math.ceil(n / 8)} bytes but ${bytes.length} were given.`);
  const flat = bytesToWords(bytes, Math.ceil(n / 32));
  const rowWords = wordsPerRow(rowLength);
  const out = new Uint32Array(rows * rowWords);
  const rest = rowLength & 31;
  const lastMask = rest === 0 ? 0xffffffff : 0xffffffff >>> (32 - rest);
  for (let r = 0; r < rows; r++) {
    const start = r * rowLength;
    let wi = Math.floor(start / 32);
    const shift = start & 31;
    const base = r * rowWords;
    if (shift === 0) {
      for (let w = 0; w < rowWords; w++) out[base + w] = flat[wi + w]!;
    } else {
      for (let w = 0; w < rowWords; w++, wi++) out[base + w] = (flat[wi]! >>> shift) | (flat[wi + 1]! << (32 - shift));
    }
    // padding bits must be zero (they held the next row's first bits)
    if (rowWords > 0) out[base + rowWords - 1] = out[base + rowWords - 1]! & lastMask;
  }
  return out;
}

/** Flat packSigns bytes (⌈n/8⌉, padding bits zero) of row-padded words; row padding is dropped. */
export function rowWordsToFlat(words: Uint32Array, rows: number, rowLength: number): Uint8Array {
  checkRowArgs('rowWordsToFlat', rows, rowLength);
  const rowWords = wordsPerRow(rowLength);
  if (words.length !== rows * rowWords) throw new RangeError(`rowWordsToFlat: ${rows} rows of ${rowLength} need ${rows * rowWords} words but ${words.length} were given.`);
  const n = rows * rowLength;
  const flat = new Uint32Array(Math.ceil(n / 32) + 1);
  const full = rowLength >>> 5;
  const rest = rowLength & 31;
  const lastMask = rest === 0 ? 0 : 0xffffffff >>> (32 - rest);
  for (let r = 0; r < rows; r++) {
    const start = r * rowLength;
    let wi = Math.floor(start / 32);
    const shift = start & 31;
    const base = r * rowWords;
    if (shift === 0) {
      for (let w = 0; w < full; w++) flat[wi + w] = words[base + w]!;
      if (rest !== 0) flat[wi + full] = words[base + full]! & lastMask;
    } else {
      for (let w = 0; w < full; w++, wi++) {
        const word = words[base + w]!;
        flat[wi] = flat[wi]! | (word << shift);
        flat[wi + 1] = word >>> (32 - shift);
      }
      if (rest !== 0) {
        const word = words[base + full]! & lastMask;
        flat[wi] = flat[wi]! | (word << shift);
        if (rest + shift > 32) flat[wi + 1] = word >>> (32 - shift);
      }
    }
  }
  return new Uint8Array(flat.buffer, 0, Math.ceil(n / 8)).slice();
}
