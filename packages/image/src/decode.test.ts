/** Decoding with the shared Node decoder: RGB from PNG and grey, EXIF orientation, the pixel bound checked from the header, typed errors. */
import sharp from 'sharp';
import { FormatError, LimitError } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './decode.js';

/** CRC-32 (PNG's chunk checksum, ISO 3309), for the hand-made header below. */
function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A PNG signature, an IHDR declaring width×height RGB, and an empty IDAT: all a header reader needs. */
function pngDeclaring(width: number, height: number): Uint8Array {
  const chunk = (type: string, body: Uint8Array): Uint8Array => {
    const out = new Uint8Array(12 + body.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, body.length);
    out.set(new TextEncoder().encode(type), 4);
    out.set(body, 8);
    view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const parts = [Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', new Uint8Array(0)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

const rgb = (w: number, h: number): Uint8Array => Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 37) % 256);

describe('decodeImage', () => {
  it('gives back the exact RGB pixels of a PNG, and RGBA loses its alpha', async () => {
    const raw = rgb(5, 3);
    const png = await sharp(raw, { raw: { width: 5, height: 3, channels: 3 } }).png().toBuffer();
    const got = await decodeImage(png);
    expect([got.width, got.height, got.channels]).toEqual([5, 3, 3]);
    expect(Array.from(got.data)).toEqual(Array.from(raw));
    const rgba = await sharp(raw, { raw: { width: 5, height: 3, channels: 3 } }).ensureAlpha(0.5).png().toBuffer();
    expect(Array.from((await decodeImage(rgba)).data)).toEqual(Array.from(raw));
  });

  it('applies EXIF orientation 6 (rotate 90° clockwise) like browsers', async () => {
    const raw = Uint8Array.from([10, 10, 10, 200, 200, 200]); // 2×1: dark, light
    const jpeg = await sharp(raw, { raw: { width: 2, height: 1, channels: 3 } }).png().withMetadata({ orientation: 6 }).toBuffer();
    const got = await decodeImage(jpeg);
    expect([got.width, got.height]).toEqual([1, 2]);
    expect([got.data[0], got.data[3]]).toEqual([10, 200]);
  });

  it('decodes grey when asked', async () => {
    const png = await sharp(Uint8Array.from([0, 0, 0, 255, 255, 255]), { raw: { width: 2, height: 1, channels: 3 } }).png().toBuffer();
    const got = await decodeImage(png, { channels: 1 });
    expect([got.channels, ...got.data]).toEqual([1, 0, 255]);
  });

  it('EXPECTED FAILURE: a 57-byte PNG declaring 7000×7000 pixels is refused from its header, before decoding', async () => {
    const big = pngDeclaring(7000, 7000);
    expect(big.length).toBe(57);
    await expect(decodeImage(big, { where: 'huge.png' })).rejects.toThrow(new LimitError('huge.png is 7000×7000 = 49000000 pixels, more than the limit of 16777216; shrink it first or raise maxPixels.'));
    await expect(decodeImage(await sharp(rgb(5, 3), { raw: { width: 5, height: 3, channels: 3 } }).png().toBuffer(), { maxPixels: 14 })).rejects.toThrow(LimitError);
  });

  it('EXPECTED FAILURE: empty and non-image bytes are FormatErrors naming the image', async () => {
    await expect(decodeImage(new Uint8Array(0), { where: 'a.png' })).rejects.toThrow(FormatError);
    await expect(decodeImage(new Uint8Array(0), { where: 'a.png' })).rejects.toThrow(/^image: a\.png is empty \(0 bytes\)\.$/);
    await expect(decodeImage(Uint8Array.from([1, 2, 3, 4]))).rejects.toThrow(/^image: the 4-byte image starting 01 02 03 04 could not be decoded: /);
  });
});
