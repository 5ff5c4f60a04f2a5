/**
 * Fuzz target: readIdx on MNIST IDX files, and readMnist when the file reads as an N×H×W uint8
 * images file (paired with a matching labels file). Seeds are the shared MNIST header with its
 * count set to 20 plus 20 images, the labels header with 20 labels (read by path, skipped when
 * absent), and synthetic files of every IDX element type.
 */
import fc from 'fast-check';
import { readIdx, readMnist } from '@onebit/validate';
import { sharedSlice } from '../seeds/fixture-files.js';
import type { Seed } from '../mutation.js';
import type { FuzzTarget } from '../target.js';

const N = 20;

function idx(code: number, dims: readonly number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d >>> 0, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

function seeds(): Seed[] {
  const out: Seed[] = [];
  const images = sharedSlice('datasets/mnist/t10k-images-idx3-ubyte', 16 + N * 784);
  if (images && images.length === 16 + N * 784) {
    const copy = images.slice();
    new DataView(copy.buffer).setUint32(4, N, false);
    out.push({ name: `shared:mnist t10k images 0-${N - 1}`, bytes: copy });
  }
  const labels = sharedSlice('datasets/mnist/t10k-labels-idx1-ubyte', 8 + N);
  if (labels && labels.length === 8 + N) {
    const copy = labels.slice();
    new DataView(copy.buffer).setUint32(4, N, false);
    out.push({ name: `shared:mnist t10k labels 0-${N - 1}`, bytes: copy });
  }
  for (const [code, size] of [[0x08, 1], [0x09, 1], [0x0b, 2], [0x0c, 4], [0x0d, 4], [0x0e, 8]] as const) {
    out.push({ name: `generated/idx-0x${code.toString(16)}`, bytes: idx(code, [2, 3], new Uint8Array(6 * size).map((_, i) => i * 13)) });
  }
  return out;
}

export const idxGenerator: fc.Arbitrary<Uint8Array> = fc.tuple(
  fc.oneof(fc.constantFrom(0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e), fc.nat(255)),
  fc.array(fc.oneof(fc.nat(6), fc.constantFrom(0xffffffff, 1 << 20, 10 ** 6)), { maxLength: 6 }),
  fc.uint8Array({ maxLength: 96 }),
).map(([code, dims, data]) => idx(code, dims, data));

export const mnistTarget: FuzzTarget = {
  name: 'mnist',
  seeds,
  generator: idxGenerator,
  read: (bytes) => {
    const t = readIdx(bytes);
    if (t.dtype !== 'uint8' || t.dims.length !== 3) return t;
    const labels = new Uint8Array(t.dims[0]!).map((_, i) => i % 10);
    return readMnist(bytes, idx(0x08, [labels.length], labels));
  },
};
