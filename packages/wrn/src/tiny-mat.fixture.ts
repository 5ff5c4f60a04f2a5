/**
 * Builds small in-memory MatFile values shaped like the authors' MATLAB and Keras releases
 * (seeded, any depth/width/class count), so the readers and the emitter can be tested on
 * networks small enough to check by hand or with the float64 reference forward pass.
 */
import type { MatFile, MatValue } from '@onebit/mat';

export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
}

const single = (dims: number[], values: ArrayLike<number>): MatValue => ({ kind: 'numeric', className: 'single', logical: false, dims, data: Float32Array.from(values) });
const double = (values: number[]): MatValue => ({ kind: 'numeric', className: 'double', logical: false, dims: [1, values.length], data: Float64Array.from(values) });
const bits = (dims: number[], rand: () => number): MatValue => {
  const n = dims.reduce((a, b) => a * b, 1);
  return { kind: 'numeric', className: 'uint8', logical: true, dims, data: Uint8Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0)) };
};
const cell = (dims: number[], cells: MatValue[]): MatValue => ({ kind: 'cell', dims, cells });
const text = (s: string): MatValue => ({ kind: 'char', dims: [1, s.length], text: s });

/** A MATLAB-release WRN: stem conv, `blocks` residual blocks per stage over 3 stages of widths w, 2w, 4w, a 1×1 head. */
export function tinyMatlabWrn(options: { width: number; blocksPerStage: number; classes: number; seed: number }): MatFile {
  const rand = lcg(options.seed);
  const widths = [options.width, 2 * options.width, 4 * options.width];
  const convs: Array<{ kin: number; cin: number; cout: number; stride: number; pad: number }> = [{ kin: 3, cin: 3, cout: widths[0]!, stride: 1, pad: 1 }];
  let c = widths[0]!;
  for (let s = 0; s < 3; s++) {
    for (let b = 0; b < options.blocksPerStage; b++) {
      const cout = widths[s]!;
      convs.push({ kin: 3, cin: c, cout, stride: s > 0 && b === 0 ? 2 : 1, pad: 1 });
      convs.push({ kin: 3, cin: cout, cout, stride: 1, pad: 1 });
      c = cout;
    }
  }
  convs.push({ kin: 1, cin: c, cout: options.classes, stride: 1, pad: 0 });
  const channels = [3, ...convs.map((v) => v.cout)];
  const types = ['input'];
  convs.forEach((_, i) => {
    types.push('brw');
    if (i % 2 === 0 && i < convs.length - 1) types.push('Residual_sum');
  });
  types.push('brg');
  const moments = channels.map((ch) => single([ch, 2], [...Array.from({ length: ch }, () => (rand() - 0.5) * 4), ...Array.from({ length: ch }, () => 0.5 + rand() * 2)]));
  return {
    header: 'MATLAB 5.0 MAT-file, tiny test WRN',
    version: 0x0100,
    littleEndian: true,
    variables: new Map<string, MatValue>([
      ['BNB', cell([channels.length, 1], channels.map((ch, i) => single([ch, 1], Array.from({ length: ch }, () => (i === 0 ? rand() - 0.5 : 0)))))],
      ['BNG', cell([channels.length, 1], channels.map((ch, i) => single([ch, 1], Array.from({ length: ch }, () => (i === 0 ? 0.5 + rand() : 1)))))],
      ['BinaryWeights', cell([1, convs.length], convs.map((v) => bits([v.kin, v.kin, v.cin, v.cout], rand)))],
      ['LayerTypes', cell([1, types.length], types.map(text))],
      ['LayerWeights', single([convs.length, 1], convs.map((v) => Math.sqrt(2 / (v.kin * v.kin * v.cin))))],
      ['Moments', cell([channels.length, 1], moments)],
      ['Stride', double(convs.map((v) => v.stride))],
      ['Padding', double(convs.map((v) => v.pad))],
    ]),
  };
}

/** A Keras-release WRN of the same shape: conv2d[_k] bit arrays and batch_normalization_v1_k statistics. */
export function tinyKerasWrn(options: { width: number; blocksPerStage: number; classes: number; seed: number; withBatchNorm?: boolean }): MatFile {
  const rand = lcg(options.seed);
  const vars = new Map<string, MatValue>();
  const convDims: number[][] = [[1, 3, 3, 3, options.width]];
  let c = options.width;
  for (let s = 0; s < 3; s++) {
    for (let b = 0; b < options.blocksPerStage; b++) {
      const cout = options.width * 2 ** s;
      convDims.push([1, 3, 3, c, cout], [1, 3, 3, cout, cout]);
      c = cout;
    }
  }
  convDims.push([1, 1, 1, c, options.classes]);
  const bnChannels = [3, ...convDims.map((d) => d[4]!)];
  convDims.forEach((d, i) => {
    if (options.withBatchNorm !== false) {
      const ch = bnChannels[i]!;
      const rows = i === 0 ? 4 : 2;
      const values: number[] = [];
      for (let col = 0; col < ch; col++) {
        const row = i === 0 ? [0.5 + rand(), rand() - 0.5, (rand() - 0.5) * 4, 0.5 + rand() * 2] : [(rand() - 0.5) * 4, 0.5 + rand() * 2];
        values.push(...row); // column-major: the rows of one column are adjacent
      }
      vars.set(`batch_normalization_v1_${84 + i}`, single([rows, ch], values));
    }
    vars.set(i === 0 ? 'conv2d' : `conv2d_${i}`, bits(d, rand));
  });
  if (options.withBatchNorm !== false) {
    const ch = bnChannels[bnChannels.length - 1]!;
    const values: number[] = [];
    for (let col = 0; col < ch; col++) values.push((rand() - 0.5) * 4, 0.5 + rand() * 2);
    vars.set(`batch_normalization_v1_${84 + convDims.length}`, single([2, ch], values));
  }
  return { header: 'MATLAB 5.0 MAT-file Platform: posix, tiny test WRN', version: 0x0100, littleEndian: true, variables: vars };
}

/** Random raw-255 CIFAR-sized images, N×3×32×32. */
export function randomImages(n: number, seed: number): Float32Array {
  const rand = lcg(seed);
  return Float32Array.from({ length: n * 3 * 32 * 32 }, () => Math.floor(rand() * 256));
}
