/** Tests of the IDX and MNIST readers: hand-built big-endian files, the real MNIST test set, corrupt files. */
import { readFileSync } from 'node:fs';
import { FormatError, TruncatedError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { readIdx } from './idx.js';
import { readMnist } from './mnist.js';

/** An IDX file: 0x0000, type code, rank, big-endian dims, then `data` as given. */
function idx(type: number, dims: number[], data: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = type;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

describe('readIdx', () => {
  it('reads uint8 and big-endian int16/float32 data', () => {
    const u8 = readIdx(idx(0x08, [2, 2], [1, 2, 3, 4]));
    expect(u8.dtype).toBe('uint8');
    expect(u8.dims).toEqual([2, 2]);
    expect([...u8.data]).toEqual([1, 2, 3, 4]);
    expect([...readIdx(idx(0x0b, [2], [0x01, 0x02, 0xff, 0xfe])).data]).toEqual([0x0102, -2]);
    expect([...readIdx(idx(0x0d, [1], [0x3f, 0x80, 0, 0])).data]).toEqual([1]);
  });

  it('EXPECTED FAILURE: bad magic, unknown type, truncated or overlong data', () => {
    expect(() => readIdx(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0]))).toThrow('IDX: magic 0x504b at byte 0 is not 0x0000 (not an IDX file).');
    expect(() => readIdx(idx(0x0a, [1], [0]))).toThrow('IDX: type code 0x0a at byte 2 is not one of 0x08, 0x09, 0x0B–0x0E.');
    expect(() => readIdx(idx(0x08, [2, 3], [1, 2, 3]))).toThrow(TruncatedError);
    expect(() => readIdx(idx(0x08, [2, 3], [1, 2, 3]))).toThrow('IDX: data of shape 2×3 at byte 12 needs 6 bytes but only 3 remain (file truncated?).');
    expect(() => readIdx(idx(0x08, [1], [1, 2]))).toThrow('IDX: 1 unexpected bytes follow the data at byte 9.');
    expect(() => readIdx(idx(0x08, [7, 7, 7], []).subarray(0, 10))).toThrow(TruncatedError);
  });
});

describe('readMnist', () => {
  it('pairs hand-built images and labels', () => {
    const set = readMnist(idx(0x08, [2, 1, 2], [10, 20, 30, 40]), idx(0x08, [2], [7, 2]));
    expect(set).toMatchObject({ n: 2, channels: 1, height: 1, width: 2 });
    expect([...set.pixels]).toEqual([10, 20, 30, 40]);
    expect([...set.labels]).toEqual([7, 2]);
  });

  it('EXPECTED FAILURE: files swapped or of different lengths', () => {
    const images = idx(0x08, [2, 1, 2], [10, 20, 30, 40]);
    const labels = idx(0x08, [2], [7, 2]);
    expect(() => readMnist(labels, images)).toThrow(FormatError);
    expect(() => readMnist(images, idx(0x08, [3], [7, 2, 1]))).toThrow('IDX: labels file count 3 at byte 4 does not match the 2 images.');
  });

  it('reads the real MNIST test set', () => {
    const set = readMnist(
      new Uint8Array(readFileSync(sharedPath('datasets/mnist/t10k-images-idx3-ubyte'))),
      new Uint8Array(readFileSync(sharedPath('datasets/mnist/t10k-labels-idx1-ubyte'))),
    );
    expect(set).toMatchObject({ n: 10000, channels: 1, height: 28, width: 28 });
    expect([...set.labels.subarray(0, 10)]).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    expect([...set.pixels.subarray(7 * 28 + 6, 7 * 28 + 12)]).toEqual([84, 185, 159, 151, 60, 36]); // image 0, row 7
    expect(set.pixels.reduce((a, b) => a + b, 0)).toBe(264923200);
  });
});
