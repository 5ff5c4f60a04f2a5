/**
 * Fuzz target: readImageFolder, the ImageNet-style folder reader of @onebit/validate. Each input
 * is a whole folder encoded by seeds/folder-bytes.ts (images plus labels.csv / labels.txt /
 * val_ground_truth.txt and classes.txt, beside the images or in the parent), written to a temp dir
 * per case and removed after. Seeds are three small folders of tiny PNGs (grey, RGB, RGBA) and a
 * JPEG, the text files first so that an edit which shifts the framing of an image still leaves
 * the labels readable; the generator writes hostile labels and class lists (odd numbers, separators, headers,
 * CRLF, duplicated and absent names) over the same images.
 */
import fc from 'fast-check';
import { readImageFolder } from '@onebit/validate';
import { decodeFolder, encodeFolder, type FolderEntry, writeFolder } from '../seeds/folder-bytes.js';
import { tinyJpeg, tinyPng } from '../seeds/image-bytes.js';
import type { Seed } from '../mutation.js';
import type { FuzzTarget } from '../target.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function images(): FolderEntry[] {
  return [
    { place: 0, name: 'a.png', data: tinyPng(7, 6, 3) },
    { place: 0, name: 'b.png', data: tinyPng(6, 6, 1, 1) },
    { place: 0, name: 'c.png', data: tinyPng(6, 8, 4, 2) },
    { place: 0, name: 'd.JPEG', data: tinyJpeg() },
  ];
}

function seeds(): Seed[] {
  const classes = '0\tn01440764\ttench, Tinca tinca\n1\tn01443537\tgoldfish\n2\tn01484850\tgreat white shark\n';
  return [
    { name: 'generated/folder labels.csv + parent classes.txt', bytes: encodeFolder([{ place: 0, name: 'labels.csv', data: text('filename,class_index\nc.png,2\na.png,0\nd.JPEG,1\nb.png,1\n') }, { place: 1, name: 'classes.txt', data: text(classes) }, ...images()]) },
    { name: 'generated/folder parent val_ground_truth.txt', bytes: encodeFolder([
      { place: 1, name: 'val_ground_truth.txt', data: text('ILSVRC2012_val_00000001.JPEG 65\r\nILSVRC2012_val_00000002.png 970\r\n') },
      { place: 0, name: 'ILSVRC2012_val_00000001.JPEG', data: tinyJpeg() }, { place: 0, name: 'ILSVRC2012_val_00000002.png', data: tinyPng(8, 6, 3, 3) },
    ]) },
    { name: 'generated/folder labels.txt + classes.txt, one listed file absent', bytes: encodeFolder([{ place: 0, name: 'labels.txt', data: text('# comment\na.png 1\nmissing.png 0\nd.JPEG 2\n') }, { place: 0, name: 'classes.txt', data: text(classes) }, ...images()]) },
  ];
}

const token = fc.constantFrom('a.png', 'b.png', 'c.png', 'd.JPEG', 'missing.png', 'filename', 'class_index', '0', '1', '2', '-1', '1e3', '0x10', '1.5', '', ' ', ',', '\t', '#', '9007199254740993', '1e400', 'NaN', '\u00e9', '..');
const line = fc.tuple(fc.array(token, { maxLength: 5 }), fc.constantFrom(',', ' ', '\t', ', ')).map(([parts, sep]) => parts.join(sep));
const lines = fc.array(line, { maxLength: 12 });

export const imageFolderGenerator: fc.Arbitrary<Uint8Array> = fc.record({
  labelsName: fc.constantFrom('labels.csv', 'labels.txt', 'val_ground_truth.txt'),
  labelsPlace: fc.constantFrom<0 | 1>(0, 1),
  labels: lines,
  eol: fc.constantFrom('\n', '\r\n', '\r'),
  classes: fc.option(fc.array(fc.tuple(fc.oneof(fc.nat(4), fc.constantFrom(-1, 1e9)), fc.array(fc.constantFrom('n0', 'tench', '', ' x '), { maxLength: 3 })), { maxLength: 6 }), { nil: undefined }),
}).map((g) => encodeFolder([
  { place: g.labelsPlace, name: g.labelsName, data: text(g.labels.join(g.eol)) },
  ...(g.classes ? [{ place: 1 as const, name: 'classes.txt', data: text(g.classes.map(([i, cols]) => [String(i), ...cols].join('\t')).join('\n')) }] : []),
  ...images(),
]));

/** Writes the folder, reads it with a 6-pixel resize and 4×4 crop, removes it. */
async function read(bytes: Uint8Array): Promise<unknown> {
  const { dir, remove } = writeFolder(decodeFolder(bytes));
  try {
    return await readImageFolder(dir, { geometry: { resize: 6, crop: 4 } });
  } finally {
    remove();
  }
}

export const imageFolderTarget: FuzzTarget = {
  name: 'image-folder',
  seeds,
  generator: imageFolderGenerator,
  read,
  // PNG and JPEG data are compressed: a few bytes may decode to many pixels.
  memoryFactor: 1100,
};
