/**
 * Test fixture: the packed MATLAB WRN-20-10 converted from the data resolver's copy of the authors'
 * release, the CIFAR-10 class names, and the first 20 CIFAR-10 test images as interleaved RGB.
 * Converted once per test file (about a second).
 */
import { readFileSync } from 'node:fs';
import { convertSync } from '@onebit/convert';
import { resolveAsset } from '@onebit/data';
import type { RgbImage } from './types.js';

export interface Fixture {
  readonly model: Uint8Array;
  /** The authors' MATLAB release the model was converted from. */
  readonly mat: Uint8Array;
  readonly binaryWeights: number;
  readonly labels: string[];
  readonly images: RgbImage[];
  /** The 20 planar (R, G, B planes) images back to back, as in the CIFAR file. */
  readonly planar: Uint8Array;
  readonly trueLabels: number[];
}

export async function loadFixture(count = 20): Promise<Fixture> {
  const mat = readFileSync((await resolveAsset('wrn-matlab-cifar10')).path);
  const converted = convertSync(new Uint8Array(mat), { weights: 'packed' });
  const labels = readFileSync((await resolveAsset('cifar10-classes')).path, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const bin = readFileSync((await resolveAsset('cifar10-test')).path);
  const images: RgbImage[] = [];
  const trueLabels: number[] = [];
  const planar = new Uint8Array(count * 3072);
  for (let i = 0; i < count; i++) {
    const rec = bin.subarray(i * 3073, (i + 1) * 3073);
    trueLabels.push(rec[0]!);
    planar.set(rec.subarray(1), i * 3072);
    const data = new Uint8Array(3072);
    for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) data[p * 3 + c] = rec[1 + c * 1024 + p]!;
    images.push({ width: 32, height: 32, data });
  }
  return { model: converted.bytes, mat: new Uint8Array(mat), binaryWeights: converted.summary.binaryWeights, labels, images, planar, trueLabels };
}
