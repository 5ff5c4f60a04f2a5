/**
 * The minimised inputs behind each reader bug the fuzzer found, as code: every file in
 * test-fixtures/fuzz-corpus/ is written by one of these builders (`node dist/write-corpus.js`),
 * and corpus.test.ts checks the committed bytes still equal what the builder makes, so each repro
 * stays explained. The expected outcome of each is in expected-errors.json beside the files.
 */
import { zipSync } from 'fflate';
import { tensor } from '@onebit/core';
import { GraphBuilder, encodeModel } from '@onebit/onnx';
import { PickleWriter, legacyTorchFile } from './seeds/pickle-writer.js';
import { concatBytes } from './concat-bytes.js';
import { containerWithHeader } from './seeds/container-bytes.js';
import { matHeader } from './seeds/mat-seeds.js';


function matElement(type: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + data.length + ((8 - (data.length % 8)) % 8));
  new DataView(out.buffer).setUint32(0, type, true);
  new DataView(out.buffer).setUint32(4, data.length, true);
  out.set(data, 8);
  return out;
}

function int32s(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  values.forEach((v, i) => new DataView(out.buffer).setInt32(i * 4, v, true));
  return out;
}


/** A struct array of `count` elements with no fields (miMATRIX, class 2, field name length 8, no names). */
function emptyStructArray(count: number, name: string): Uint8Array {
  return matElement(14, concatBytes(
    matElement(6, int32s(2, 0)), matElement(5, int32s(count, 1)), matElement(1, new TextEncoder().encode(name)),
    matElement(5, int32s(8)), matElement(1, new Uint8Array(0)),
  ));
}


/** Patches the uncompressed-size field of every central directory entry (signature PK\x01\x02, field at +24). */
function lieAboutSize(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i + 46 <= out.length; i++) if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, size, true);
  return out;
}

/**
 * `zip` with a zip64 end record and locator added before its end record (APPNOTE.TXT 4.3.14–4.3.15),
 * claiming `count` entries in a central directory that starts at the end of the file: every record
 * read there is empty (all fields zero).
 */
function claimZip64Entries(zip: Uint8Array, count: number): Uint8Array {
  const eocd = zip.length - 22;
  const centralOffset = zip.length + 76;
  const record = new Uint8Array(56);
  const rv = new DataView(record.buffer);
  rv.setUint32(0, 0x06064b50, true);
  rv.setBigUint64(4, 44n, true);
  rv.setBigUint64(24, BigInt(count), true);
  rv.setBigUint64(32, BigInt(count), true);
  rv.setBigUint64(48, BigInt(centralOffset), true);
  const locator = new Uint8Array(20);
  const lv = new DataView(locator.buffer);
  lv.setUint32(0, 0x07064b50, true);
  lv.setBigUint64(8, BigInt(eocd), true);
  lv.setUint32(16, 1, true);
  return concatBytes(zip.subarray(0, eocd), record, locator, zip.subarray(eocd));
}

export const CORPUS_INPUTS: Readonly<Record<string, () => Uint8Array>> = {
  // UNICODE opcode with \U00110000: String.fromCodePoint threw a RangeError.
  'pickle-unicode-escape-beyond-u10ffff.pkl': () => new PickleWriter().raw(0x56, ...Array.from('\\U00110000\n', (c) => c.charCodeAt(0))).stop().bytes(),
  // (x, x) nested 60 times in 120 bytes: flattenTensors walked 2^60 paths (hung).
  'torch-legacy-shared-tuple-doubling.pt': () => {
    const w = new PickleWriter().proto(2).none();
    for (let i = 0; i < 60; i++) w.dup().tuple2();
    return legacyTorchFile(w.stop().bytes());
  },
  // A shape nested 20 000 arrays deep: printing it in the error message overflowed the stack (RangeError).
  'safetensors-shape-nested-20000-deep.safetensors': () => {
    const header = new TextEncoder().encode(`{"w":{"dtype":"F32","shape":${'['.repeat(20000)}${']'.repeat(20000)},"data_offsets":[0,0]}}`);
    const out = new Uint8Array(8 + header.length);
    new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
    out.set(header, 8);
    return out;
  },
  // `model` nested 20 000 arrays deep with a valid header CRC: printing it overflowed the stack (RangeError).
  'container-model-nested-20000-deep.onebit': () => containerWithHeader(`{"model":${'['.repeat(20000)}${']'.repeat(20000)},"tensors":[]}`),
  // A binary weight of 10^15 rows of 0 elements: unpacking looped over every empty row (hung).
  'container-1e15-empty-rows.onebit': () => containerWithHeader(JSON.stringify({
    model: {},
    tensors: [{
      name: 'w', role: 'binary-weight', dims: [1e15, 0], dtype: 'float32',
      bits: { order: 'lsb-first', axis: 0, rows: 1e15, rowLength: 0, wordBits: 32, rowWords: 0 },
      scale: 1, data: { offset: 0, length: 0, crc32: '00000000' },
    }],
  })),
  // A cell of two field-less struct arrays (1000 and 2^20 elements): the per-struct limit let every struct create 2^20 objects from a few bytes.
  'mat-cell-of-empty-struct-arrays.mat': () => {
    const cell = matElement(14, concatBytes(
      matElement(6, int32s(1, 0)), matElement(5, int32s(1, 2)), matElement(1, new TextEncoder().encode('c')),
      emptyStructArray(1000, ''), emptyStructArray(1 << 20, ''),
    ));
    return concatBytes(matHeader('MATLAB 5.0 MAT-file, onebit fuzz corpus'), cell);
  },
  // A deflated data.pkl whose central directory claims 4 GiB: fflate allocated the claimed size before inflating.
  'torch-zip-entry-claims-4gib.pt': () => {
    const pkl = new PickleWriter().proto(2).emptyDict().stop().bytes();
    return lieAboutSize(zipSync({ 'archive/data.pkl': pkl, 'archive/version': new TextEncoder().encode('3\n') }, { level: 6, mtime: new Date(2024, 0, 1) }), 0xfffffff0);
  },
  // A zip64 end record claiming 2^32 − 1 entries from the end of a tiny archive: fflate walked 10^6 empty records past the end until maxEntries stopped it (the fuzz input, seed 11 torch-zip case 7978, timed out).
  'torch-zip-directory-count-beyond-file.pt': () => {
    const pkl = new PickleWriter().proto(2).emptyDict().stop().bytes();
    return claimZip64Entries(zipSync({ 'archive/data.pkl': pkl, 'archive/version': new TextEncoder().encode('3\n') }, { level: 0, mtime: new Date(2024, 0, 1) }), 0xffffffff);
  },
  // A Conv model importing default-domain opset 0: emitting the packed decode chain threw a RangeError.
  'convert-graph-opset-0.onnx': () => {
    const g = new GraphBuilder('g');
    g.input('x', 'float32', [1, 1, 2, 2]);
    g.initializer('w', tensor('float32', [1, 1, 1, 1], new Float32Array([0.5])));
    g.output('y', 'float32', [1, 1, 2, 2], g.node('Conv', ['x', 'w']));
    return encodeModel(g.build({ opset: 0, irVersion: 8 }));
  },
};
