// Benchmark of the spine: conversion wall time of the authors' WRN-20-10 (.mat → packed ONNX),
// and packed vs float ONNX in onnxruntime-node — session creation, images/s, bytes on disk and
// gzipped — each as a ratio to a baseline measured in this same run. Run: npm run bench.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { sharedPath } from '@onebit/data';
import { readMat } from '@onebit/mat';
import { createRunner, readCifar, applyPreprocess, getPreprocess } from '@onebit/validate';
import { convertSync } from '../dist/index.js';

const REPEATS = 3;
const IMAGES = 200;
const BATCH = 50;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (f) => { const t = performance.now(); const r = f(); return [performance.now() - t, r]; };

const mat = new Uint8Array(readFileSync(sharedPath('models/mcdonnell-wrn20-10-cifar10/matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat')));
const readMs = median(Array.from({ length: REPEATS }, () => time(() => readMat(mat))[0]));
const convertMs = median(Array.from({ length: REPEATS }, () => time(() => convertSync(mat))[0]));
const packed = convertSync(mat).bytes;
const float = convertSync(mat, { weights: 'float' }).bytes;

const data = readCifar(new Uint8Array(readFileSync(sharedPath('datasets/cifar10/test_batch_0-999.bin'))));
const input = applyPreprocess(getPreprocess('raw255'), data.pixels.subarray(0, IMAGES * 3072), 3, 1024);

async function measure(model) {
  const runner = await createRunner(model, { runtime: 'node', threads: 2 });
  await runner.run(input.subarray(0, 3072), [1, 3, 32, 32]); // warm-up
  const t = performance.now();
  for (let s = 0; s < IMAGES; s += BATCH) await runner.run(input.subarray(s * 3072, (s + BATCH) * 3072), [BATCH, 3, 32, 32]);
  const ips = IMAGES / ((performance.now() - t) / 1000);
  const sessionMs = runner.sessionCreationMs;
  await runner.dispose();
  return { sessionMs, ips };
}
// alternate to spread machine noise evenly over both
const runs = { float: [], packed: [] };
for (let i = 0; i < 2; i++) { runs.float.push(await measure(float)); runs.packed.push(await measure(packed)); }
const summary = (rs) => ({ sessionMs: median(rs.map((r) => r.sessionMs)), ips: median(rs.map((r) => r.ips)) });
const f = summary(runs.float);
const p = summary(runs.packed);
const gz = (b) => gzipSync(b, { level: 9 }).length;
const row = (...cells) => console.log(cells.map((c, i) => String(c).padEnd(i === 0 ? 44 : 16)).join(''));
console.log(`onebit spine bench — WRN-20-10 (MATLAB release), ${IMAGES} CIFAR-10 images, batch ${BATCH}, onnxruntime-node 2 threads`);
row('measure', 'value', 'baseline', 'ratio');
row('conversion wall time (ms), baseline readMat', convertMs.toFixed(0), readMs.toFixed(0), (convertMs / readMs).toFixed(2));
row('session creation (ms), packed vs float', p.sessionMs.toFixed(0), f.sessionMs.toFixed(0), (p.sessionMs / f.sessionMs).toFixed(2));
row('images/s, packed vs float', p.ips.toFixed(1), f.ips.toFixed(1), (p.ips / f.ips).toFixed(2));
row('bytes on disk, packed vs float', packed.length, float.length, (packed.length / float.length).toFixed(3));
row('bytes gzipped (-9), packed vs float', gz(packed), gz(float), (gz(packed) / gz(float)).toFixed(3));
console.log(`target: conversion ≤ 1000 ms (${convertMs <= 1000 ? 'met' : 'NOT met'} on this run); packed images/s within noise of float.`);
