/** Tests of loadImageSet on the real CIFAR-10 and MNIST files and on a lone IDX images file. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { loadImageSet } from './load-image-set.js';

describe('loadImageSet', () => {
  it('detects CIFAR-10 and reads its class names', async () => {
    const set = await loadImageSet(sharedPath('datasets/cifar10/test_batch_0-999.bin'));
    expect(set.format).toBe('cifar10');
    expect(set.n).toBe(1000);
    expect(set.classNames?.[3]).toBe('cat');
    expect(set.labels[0]).toBe(3);
  });

  it('detects MNIST and finds its labels file', async () => {
    const set = await loadImageSet(sharedPath('datasets/mnist/t10k-images-idx3-ubyte'));
    expect(set.format).toBe('mnist');
    expect(set.labelsPath).toBe(sharedPath('datasets/mnist/t10k-labels-idx1-ubyte'));
    expect(set.labels[0]).toBe(7);
    expect(set.classNames).toBeUndefined();
  });

  it('EXPECTED FAILURE: IDX images without a labels file beside them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onebit-idx-'));
    const path = join(dir, 'train-images-idx3-ubyte');
    writeFileSync(path, new Uint8Array([0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1]));
    await expect(loadImageSet(path)).rejects.toThrow(FormatError);
    await expect(loadImageSet(path)).rejects.toThrow(`no labels file ${join(dir, 'train-labels-idx1-ubyte')} was found`);
  });
});
