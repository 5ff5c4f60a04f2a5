/**
 * Data elements, the building block of a level-5 file: an 8-byte tag (type, byte count) followed by
 * the data padded to a multiple of 8 bytes, or a 4-byte "small data element" tag (byte count in the
 * upper 16 bits, at most 4) with its data in the next 4 bytes.
 */
import { type ByteReader, FormatError } from '@onebit/core';
import { dataTypeName } from './mat-codes.js';

export type ElementTag = {
  /** The miXXX data type code. */
  type: number;
  /** Bytes of data, without padding. */
  size: number;
  /** True for a 4-byte small-data-element tag. */
  small: boolean;
  /** Absolute offset of the tag. */
  offset: number;
};

/** Reads a tag (normal or small) and leaves the reader at the element's data. */
export function readTag(reader: ByteReader, what: string): ElementTag {
  const offset = reader.offset;
  const first = reader.u32(`${what} tag`);
  const smallSize = first >>> 16;
  if (smallSize !== 0) {
    if (smallSize > 4) {
      throw new FormatError(reader.format, `${what} small-element tag at byte ${offset} claims ${smallSize} bytes, more than the 4 it can hold.`, offset);
    }
    return { type: first & 0xffff, size: smallSize, small: true, offset };
  }
  return { type: first, size: reader.u32(`${what} tag`), small: false, offset };
}

/** Skips the padding after an element's data: to 4 bytes for a small element, else to 8 bytes. */
export function skipPadding(reader: ByteReader, tag: ElementTag): void {
  const padding = tag.small ? 4 - tag.size : (8 - (tag.size % 8)) % 8;
  // The last element of a file or of a compressed variable is sometimes written without padding.
  reader.skip(Math.min(padding, reader.remaining), `${what(tag)} padding`);
}

function what(tag: ElementTag): string {
  return dataTypeName(tag.type);
}

/** Reads a whole element of one of `types`: its tag, a view of its data, and its padding. */
export function readElement(reader: ByteReader, what: string, types: readonly number[]): { tag: ElementTag; data: Uint8Array } {
  const tag = readTag(reader, what);
  if (!types.includes(tag.type)) {
    const expected = types.map(dataTypeName).join(' or ');
    throw new FormatError(reader.format, `${what} at byte ${tag.offset} has type ${dataTypeName(tag.type)} where ${expected} was expected.`, tag.offset);
  }
  const data = reader.bytesView(tag.size, what);
  skipPadding(reader, tag);
  return { tag, data };
}
