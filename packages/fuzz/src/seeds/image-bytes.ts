/**
 * Tiny images for the image-folder seeds. PNGs are written here (synchronously, as seeds must be):
 * signature, IHDR, one zlib IDAT of filter-0 rows, IEND, each chunk with its CRC-32. The JPEG is a
 * 6×5 baseline file written once by sharp 0.35 (`sharp(raw 6×5×3).jpeg({ quality: 50 })`) and kept
 * as base64, since JPEG has no small synchronous encoder here.
 */
import { crc32 } from 'node:zlib';
import { zlibSync } from 'fflate';
import { concatBytes } from '../concat-bytes.js';

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** An 8-bit PNG of `channels` (1 grey, 3 RGB, 4 RGBA) with a deterministic pattern. */
export function tinyPng(width: number, height: number, channels: 1 | 3 | 4, salt = 0): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = { 1: 0, 3: 2, 4: 6 }[channels];
  const rows = new Uint8Array(height * (1 + width * channels));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * channels);
    for (let i = 0; i < width * channels; i++) rows[row + 1 + i] = (i * 29 + y * 53 + salt * 71) & 0xff;
  }
  return concatBytes(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlibSync(rows)), chunk('IEND', new Uint8Array(0)));
}

const JPEG_6X5_BASE64 = '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAFAAYDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAP/xAAeEAACAQQDAQAAAAAAAAAAAAABAgADERIxBEFCgf/EABQBAQAAAAAAAAAAAAAAAAAAAAP/xAAaEQACAgMAAAAAAAAAAAAAAAABAgAhAxPB/9oADAMBAAIRAxEAPwCycNRWFOniFdcrOgYCwU617+WPRACIipjR1DMLg7GFcE//2Q==';

/** A 6×5 RGB baseline JPEG (313 bytes) written by sharp. */
export function tinyJpeg(): Uint8Array {
  return new Uint8Array(Buffer.from(JPEG_6X5_BASE64, 'base64'));
}
