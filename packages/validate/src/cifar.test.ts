/** Tests of the CIFAR-10/100 binary reader: hand-built records, the real test subset, corrupt files. */
import { readFileSync } from 'node:fs';
import { FormatError, WrongFileError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { detectCifarVariant, readCifar, readCifarClassNames } from './cifar.js';

function record(labels: number[], fill: (i: number) => number): Uint8Array {
  const out = new Uint8Array(labels.length + 3072);
  out.set(labels);
  for (let i = 0; i < 3072; i++) out[labels.length + i] = fill(i);
  return out;
}

describe('readCifar on hand-built bytes', () => {
  it('reads CIFAR-10 records: label then R, G, B planes', () => {
    const bytes = new Uint8Array([...record([7], (i) => i % 256), ...record([2], (i) => 255 - (i % 256))]);
    const set = readCifar(bytes);
    expect(set.variant).toBe('cifar10');
    expect(set.n).toBe(2);
    expect([...set.labels]).toEqual([7, 2]);
    expect(set.pixels.length).toBe(2 * 3072);
    expect(set.pixels[0]).toBe(0);
    expect(set.pixels[1024]).toBe(0); // G plane starts at 1024 % 256 = 0
    expect(set.pixels[3071]).toBe(255);
    expect(set.pixels[3072]).toBe(255);
    expect(set.coarseLabels).toBeUndefined();
  });

  it('reads CIFAR-100 records: coarse, fine, pixels', () => {
    const bytes = new Uint8Array([...record([19, 99], () => 9), ...record([0, 5], () => 1)]);
    const set = readCifar(bytes);
    expect(set.variant).toBe('cifar100');
    expect([...set.labels]).toEqual([99, 5]);
    expect([...set.coarseLabels!]).toEqual([19, 0]);
    expect(set.pixels[3071]).toBe(9);
    expect(set.pixels[3072]).toBe(1);
  });

  it('detects the variant from the record size', () => {
    expect(detectCifarVariant(3073 * 5)).toBe('cifar10');
    expect(detectCifarVariant(3074 * 5)).toBe('cifar100');
  });

  it('EXPECTED FAILURE: a length that is not whole records names the length', () => {
    expect(() => readCifar(new Uint8Array(3073 + 100))).toThrow(FormatError);
    expect(() => readCifar(new Uint8Array(3073 + 100))).toThrow('file length 3173 is not a whole number of 3073-byte (CIFAR-10) or 3074-byte (CIFAR-100) records');
    expect(() => readCifar(new Uint8Array(3074), 'cifar10')).toThrow('CIFAR: file length 3074 is not a whole number of 3073-byte cifar10 records; the last record starting at byte 3073 has only 1 bytes.');
  });

  it('EXPECTED FAILURE: a length fitting both variants must name its variant', () => {
    expect(() => readCifar(new Uint8Array(3073 * 3074))).toThrow('is a whole number of both CIFAR-10 and CIFAR-100 records');
    expect(readCifar(new Uint8Array(3073 * 3074), 'cifar100').n).toBe(3073);
  });

  it('EXPECTED FAILURE: an out-of-range label names the value and byte', () => {
    const bytes = new Uint8Array([...record([1], () => 0), ...record([10], () => 0)]);
    expect(() => readCifar(bytes)).toThrow('CIFAR: label 10 of image 1 at byte 3073 is not below 10 (is this a cifar10 file?).');
    const c100 = new Uint8Array([...record([20, 1], () => 0)]);
    expect(() => readCifar(c100)).toThrow('coarse label 20 of image 0 at byte 0 is not below 20.');
  });

  it('EXPECTED FAILURE: empty files, LFS pointers and HTML pages', () => {
    expect(() => readCifar(new Uint8Array(0))).toThrow(WrongFileError);
    const lfs = new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 30730000\n');
    expect(() => readCifar(lfs)).toThrow(WrongFileError);
    expect(() => readCifar(new TextEncoder().encode('<!DOCTYPE html><html></html>'))).toThrow(/HTML page/);
  });
});

describe('readCifar on the real CIFAR-10 test images 0–999', () => {
  const set = readCifar(new Uint8Array(readFileSync(sharedPath('datasets/cifar10/test_batch_0-999.bin'))));

  it('has the official labels and pixels', () => {
    expect(set.variant).toBe('cifar10');
    expect(set.n).toBe(1000);
    expect([...set.labels.subarray(0, 10)]).toEqual([3, 8, 8, 0, 6, 6, 1, 6, 3, 1]); // cat, ship, ship, airplane, frog…
    expect([...set.pixels.subarray(0, 5)]).toEqual([158, 159, 165, 166, 160]); // image 0, red, top row
    expect([...set.pixels.subarray(1024, 1027)]).toEqual([112, 111, 116]); // image 0, green, top row
    expect([...set.pixels.subarray(1000 * 3072 - 3)]).toEqual([85, 103, 131]); // image 999, blue, last pixels
    const counts = new Array<number>(10).fill(0);
    for (const l of set.labels) counts[l]!++;
    expect(counts).toEqual([103, 89, 100, 103, 90, 86, 112, 102, 106, 109]);
  });

  it('reads the class names', () => {
    const names = readCifarClassNames(readFileSync(sharedPath('datasets/cifar10/batches.meta.txt'), 'utf8'));
    expect(names).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
    expect(readCifarClassNames('a\r\nb\n\n')).toEqual(['a', 'b']);
  });
});
