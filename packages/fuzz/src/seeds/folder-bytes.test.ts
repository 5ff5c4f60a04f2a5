/**
 * Tests of the folder encoding the image-folder fuzz target uses: a round trip, any bytes decode
 * without throwing into names that stay inside the temp dir, and the hand-written PNGs and the
 * sharp-made JPEG decode to their sizes.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPixels } from '@onebit/validate';
import { decodeFolder, encodeFolder, writeFolder } from './folder-bytes.js';
import { tinyJpeg, tinyPng } from './image-bytes.js';

describe('folder bytes', () => {
  it('round-trips entries in both places', () => {
    const entries = [{ place: 0 as const, name: 'labels.csv', data: new Uint8Array([1, 2, 3]) }, { place: 1 as const, name: 'classes.txt', data: new Uint8Array(0) }];
    expect(decodeFolder(encodeFolder(entries))).toEqual(entries);
  });

  it('decodes any bytes to safe names and writes them under one temp dir', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const entries = decodeFolder(bytes);
      for (const e of entries) expect(e.name).toMatch(/^[A-Za-z0-9._-]+$/);
      expect(entries.some((e) => e.name === '.' || e.name === '..')).toBe(false);
    }));
    const { dir, remove } = writeFolder([{ place: 1, name: 'images', data: new Uint8Array(1) }, { place: 0, name: 'a.png', data: new Uint8Array(1) }]);
    expect(readdirSync(dir)).toEqual(['a.png']);
    remove();
    expect(existsSync(dirname(dir))).toBe(false);
  });

  it('builds images that decode', async () => {
    for (const [bytes, w, h] of [[tinyPng(7, 6, 3), 7, 6], [tinyPng(6, 6, 1), 6, 6], [tinyPng(6, 8, 4), 6, 8], [tinyJpeg(), 6, 5]] as const) {
      const image = await loadPixels(bytes, {}, 'seed');
      expect([image.width, image.height, image.channels]).toEqual([w, h, 3]);
    }
  });
});
