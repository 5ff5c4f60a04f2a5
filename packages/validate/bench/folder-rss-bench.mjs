/**
 * Peak memory of validating an image folder: generates folders of N small PNGs (128×128 noise, at
 * two sizes of N) and validates test-data/mean-rgb.onnx on each in its own process (onnxruntime-node,
 * 1 thread, batch 50), reading peak RSS from the kernel (`process.resourceUsage().maxRSS`). Rows:
 * the lazy path `onebit validate` uses (openImageSet: one batch decoded at a time) at both sizes and
 * in 1 of 10 shards, and the whole-set path (loadImageSet: every image in memory first) at both
 * sizes. The baseline is the lazy run on the smaller folder, measured in the same run.
 * Run after `npm run build`: `npm run bench`. Env: ONEBIT_BENCH_FOLDER_SMALL (default 1000),
 * ONEBIT_BENCH_FOLDER_LARGE (default 4000).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadImageSet, openImageSet, validateModel } from '../dist/index.js';

const SIDE = 128;
const BATCH = 50;
const self = fileURLToPath(import.meta.url);
const model = fileURLToPath(new URL('../test-data/mean-rgb.onnx', import.meta.url));

async function child(mode, dir, shard) {
  const geometry = { crop: SIDE };
  const data = mode === 'lazy' ? await openImageSet(dir, { geometry }) : await loadImageSet(dir, { geometry });
  const report = await validateModel({
    model: new Uint8Array(readFileSync(model)), data, preprocess: 'raw255', threads: 1, batchSize: BATCH,
    ...(shard ? { shard: { index: 1, count: Number(shard) } } : {}),
  });
  process.stdout.write(JSON.stringify({ images: report.n, maxRssKiB: process.resourceUsage().maxRSS }));
}

/** A folder of `n` PNGs of seeded noise with labels.csv. */
async function makeFolder(root, n) {
  const dir = join(root, `folder-${n}`);
  mkdirSync(dir);
  const lines = ['filename,class_index'];
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    const pixels = Buffer.alloc(SIDE * SIDE * 3);
    for (let k = 0; k < pixels.length; k++) pixels[k] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    const file = `img${String(i).padStart(6, '0')}.png`;
    writeFileSync(join(dir, file), await sharp(pixels, { raw: { width: SIDE, height: SIDE, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer());
    lines.push(`${file},${i % 10}`);
  }
  writeFileSync(join(dir, 'labels.csv'), `${lines.join('\n')}\n`);
  return dir;
}

async function main() {
  const small = Number(process.env.ONEBIT_BENCH_FOLDER_SMALL ?? 1000);
  const large = Number(process.env.ONEBIT_BENCH_FOLDER_LARGE ?? 4000);
  const root = mkdtempSync(join(tmpdir(), 'onebit-folder-bench-'));
  try {
    const dirs = { [small]: await makeFolder(root, small), [large]: await makeFolder(root, large) };
    const configs = [
      ['lazy', small, ''], ['lazy', large, ''], ['lazy', large, '10'], ['whole set', small, ''], ['whole set', large, ''],
    ];
    const rows = configs.map(([mode, n, shard]) => {
      const out = execFileSync(process.execPath, [self, '--child', mode === 'lazy' ? 'lazy' : 'whole', dirs[n], shard], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      return { mode, n, shard, ...JSON.parse(out) };
    });
    const base = rows[0].maxRssKiB;
    const mib = (kib) => (kib / 1024).toFixed(1);
    console.log(`peak RSS validating a folder of ${SIDE}×${SIDE} PNGs (mean-rgb.onnx, onnxruntime-node 1 thread, batch ${BATCH}); baseline: lazy on ${small} images, same run`);
    console.log('path        folder  shard  images  peak RSS MiB  vs baseline');
    for (const r of rows) {
      console.log(`${r.mode.padEnd(10)}  ${String(r.n).padStart(6)}  ${(r.shard ? `1/${r.shard}` : '—').padStart(5)}  ${String(r.images).padStart(6)}  ${mib(r.maxRssKiB).padStart(12)}  ${(r.maxRssKiB / base).toFixed(2).padStart(11)}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4], process.argv[5]);
else await main();
