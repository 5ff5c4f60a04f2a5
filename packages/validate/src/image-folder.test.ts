/**
 * Tests of ImageNet-style folders: both labels formats and the class list as parsed text, a folder
 * of PNGs built here, and the shared val-1300-resized-227 folder (its first images only).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { FormatError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { isImageFolder, parseClassList, parseLabelsFile, readImageFolder } from './image-folder.js';
import { loadImageSet } from './load-image-set.js';

describe('labels and classes files', () => {
  it('reads labels.csv with its header and the "filename index" ground-truth format', () => {
    expect(parseLabelsFile('filename,class_index\na.JPEG,472\nb.JPEG,0\n', 'labels.csv')).toEqual([{ file: 'a.JPEG', label: 472 }, { file: 'b.JPEG', label: 0 }]);
    expect(parseLabelsFile('ILSVRC2012_val_00000001.JPEG 65\r\nILSVRC2012_val_00000002.JPEG 970\n\n', 'gt.txt')).toEqual([
      { file: 'ILSVRC2012_val_00000001.JPEG', label: 65 }, { file: 'ILSVRC2012_val_00000002.JPEG', label: 970 },
    ]);
  });

  it('EXPECTED FAILURE: a malformed line is named with its number', () => {
    expect(() => parseLabelsFile('a.JPEG,1\nb.JPEG,x\n', 'labels.csv')).toThrow('labels: line 2 of labels.csv is "b.JPEG,x", not "filename,class_index" or "filename index".');
    expect(() => parseClassList('0\tn1\ttench\n2\tn2\tgoldfish\n', 'classes.txt')).toThrow('classes: line 2 of classes.txt is "2\\tn2\\tgoldfish", not "1<TAB>wnid<TAB>names".');
  });

  it('reads the shared 1000-class list', async () => {
    const { readFileSync } = await import('node:fs');
    const names = parseClassList(readFileSync(sharedPath('datasets/imagenet/classes.txt'), 'utf8'), 'classes.txt');
    expect(names).toHaveLength(1000);
    expect(names[0]).toBe('tench, Tinca tinca');
    expect(names[472]).toBe('canoe');
  });
});

describe('readImageFolder', () => {
  it('reads a built folder in labels order, skipping listed files that are absent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onebit-folder-'));
    const colours = [[255, 0, 0], [0, 255, 0], [0, 0, 255]];
    for (let i = 0; i < 3; i++) {
      const [r, g, b] = colours[i]!;
      writeFileSync(join(dir, `img${i}.png`), await sharp({ create: { width: 12, height: 10, channels: 3, background: { r: r!, g: g!, b: b! } } }).png().toBuffer());
    }
    writeFileSync(join(dir, 'labels.csv'), 'filename,class_index\nimg2.png,2\nmissing.png,5\nimg0.png,0\nimg1.png,1\n');
    expect(isImageFolder(dir)).toBe(true);
    const set = await loadImageSet(dir, { geometry: { resize: 8, crop: 8 } });
    expect(set.format).toBe('image-folder');
    expect(set.files).toEqual(['img2.png', 'img0.png', 'img1.png']);
    expect([...set.labels]).toEqual([2, 0, 1]);
    expect([set.n, set.channels, set.height, set.width]).toEqual([3, 3, 8, 8]);
    // Image 0 is blue: its B plane is 255, its R plane 0.
    expect(set.pixels[0]).toBe(0);
    expect(set.pixels[128]).toBe(255);
    expect(set.pixels[192]).toBe(255);
  });

  it('EXPECTED FAILURE: no images (a labels file or other files do not make it an image folder), no labels file, and no crop for images of mixed sizes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onebit-folder-'));
    const noImages = `image folder: ${dir} holds no images (no .jpg, .jpeg or .png (any case) files); pass a folder of labelled JPEG/PNG images, a CIFAR binary batch or an MNIST IDX images file.`;
    await expect(readImageFolder(dir, { geometry: { crop: 4 } })).rejects.toThrow(noImages);
    writeFileSync(join(dir, 'notes.txt'), 'not an image\n');
    writeFileSync(join(dir, 'labels.csv'), 'a.png,3\n');
    await expect(readImageFolder(dir, { geometry: { crop: 4 } })).rejects.toThrow(noImages);
    rmSync(join(dir, 'labels.csv'));
    writeFileSync(join(dir, 'a.png'), await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).png().toBuffer());
    await expect(readImageFolder(dir, { geometry: { crop: 4 } })).rejects.toThrow(FormatError);
    await expect(readImageFolder(dir, { geometry: { crop: 4 } })).rejects.toThrow(`image folder: ${dir} holds images but no labels.csv / labels.txt / val_ground_truth.txt was found in it or its parent.`);
    writeFileSync(join(dir, 'labels.csv'), 'a.png,3\n');
    await expect(readImageFolder(dir, { geometry: {} })).rejects.toThrow(RangeError);
  });

  it('reads the shared val-1300-resized-227 folder in labels.csv order with the 1000 class names', async () => {
    const set = await readImageFolder(sharedPath('datasets/imagenet/val-1300-resized-227'), { geometry: { resize: 256, crop: 224 }, range: () => [0, 2] });
    expect(set.n).toBe(1300);
    expect(set.files.slice(0, 2)).toEqual(['ILSVRC2012_val_00000347.JPEG', 'ILSVRC2012_val_00000355.JPEG']);
    expect(set.labels.slice(0, 2)).toEqual([472, 260]);
    expect(set.classNames).toHaveLength(1000);
    expect(set.pixels.subarray(0, 2 * 3 * 224 * 224).some((v) => v !== 0)).toBe(true);
    expect(set.pixels.subarray(2 * 3 * 224 * 224).every((v) => v === 0)).toBe(true);
  });
});
