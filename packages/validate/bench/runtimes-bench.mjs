/**
 * Inference speed of the packed MATLAB WRN-20-10 (converted here with @onebit/convert) on the
 * shared CIFAR-10 test images in each runtime: onnxruntime-node, onnxruntime-web wasm in Node with
 * 1 and with 2 threads, and onnxruntime-web in headless Chromium. Each configuration runs in its
 * own process (onnxruntime-web's thread count is process-global), does one warm-up batch, then
 * times `run()` calls only. Prints images/s and the ratio to onnxruntime-node measured in the same
 * run. Run after `npm run build`: `npm run bench` (plain node on dist).
 * Env: ONEBIT_BENCH_NODE_IMAGES (default 200), ONEBIT_BENCH_WEB_IMAGES (default 50), batch 25.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedPath } from '@onebit/data';
import { applyPreprocess, createRunner, getPreprocess, readCifar } from '../dist/index.js';

const BATCH = 25;
const self = fileURLToPath(import.meta.url);

async function child(runtime, threads, modelPath, images) {
  const cifar = readCifar(new Uint8Array(readFileSync(sharedPath('datasets/cifar10/test_batch_0-999.bin'))));
  const runner = await createRunner(new Uint8Array(readFileSync(modelPath)), { runtime, threads });
  const preset = getPreprocess('raw255');
  const batch = (start) => applyPreprocess(preset, cifar.pixels.subarray(start * 3072, (start + BATCH) * 3072), 3, 1024);
  await runner.run(batch(0), [BATCH, 3, 32, 32]); // warm-up
  let ms = 0;
  for (let start = 0; start < images; start += BATCH) {
    const input = batch(start);
    const t0 = performance.now();
    await runner.run(input, [BATCH, 3, 32, 32]);
    ms += performance.now() - t0;
  }
  await runner.dispose();
  process.stdout.write(JSON.stringify({ name: runner.name, imagesPerSecond: (images * 1000) / ms, msPerBatch: ms / (images / BATCH), sessionMs: runner.sessionCreationMs }));
}

async function main() {
  let convertSync;
  try {
    ({ convertSync } = await import('@onebit/convert'));
  } catch {
    console.error('bench: @onebit/convert is not built; run `npm run build` at the repository root first.');
    process.exit(1);
  }
  const modelPath = join(mkdtempSync(join(tmpdir(), 'onebit-bench-')), 'wrn20-10.packed.onnx');
  const mat = readFileSync(sharedPath('models/mcdonnell-wrn20-10-cifar10/matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat'));
  writeFileSync(modelPath, convertSync(new Uint8Array(mat)).bytes);
  const nodeImages = Number(process.env.ONEBIT_BENCH_NODE_IMAGES ?? 200);
  const webImages = Number(process.env.ONEBIT_BENCH_WEB_IMAGES ?? 50);
  const configs = [
    ['node', 2, nodeImages], ['wasm', 1, webImages], ['wasm', 2, webImages], ['browser', 2, webImages],
  ];
  const rows = [];
  for (const [runtime, threads, images] of configs) {
    const out = execFileSync(process.execPath, [self, '--child', runtime, String(threads), modelPath, String(images)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    rows.push({ runtime, threads, images, ...JSON.parse(out) });
  }
  const base = rows[0].imagesPerSecond;
  console.log(`packed WRN-20-10 (MATLAB release) on shared CIFAR-10 test images, batch ${BATCH}, warm-up batch excluded`);
  console.log('runtime   threads  images  images/s  ms/batch  vs node  runner');
  for (const r of rows) {
    console.log(`${r.runtime.padEnd(8)}  ${String(r.threads).padStart(7)}  ${String(r.images).padStart(6)}  ${r.imagesPerSecond.toFixed(2).padStart(8)}  ${r.msPerBatch.toFixed(0).padStart(8)}  ${(r.imagesPerSecond / base).toFixed(3).padStart(7)}  ${r.name}`);
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], Number(process.argv[4]), process.argv[5], Number(process.argv[6]));
else await main();
