/**
 * What the example service and its load test run when given nothing else: the authors' MATLAB
 * WRN-20-10 for CIFAR-10, found by the data resolver and converted to packed ONNX in memory, its
 * class names, and the first CIFAR-10 test images encoded as PNG request bodies.
 */
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import { convertSync } from '@onebit/convert';
import { resolveAsset } from '@onebit/data';
import { deserializeError, type SerializedError } from '@onebit/runtime';

export interface DefaultModel {
  readonly model: Uint8Array;
  readonly labels: string[];
}

export async function defaultModel(): Promise<DefaultModel> {
  const mat = await resolveAsset('wrn-matlab-cifar10');
  const classes = await resolveAsset('cifar10-classes');
  const { bytes } = convertSync(new Uint8Array(await readFile(mat.path)), { fileName: mat.path, weights: 'packed' });
  const labels = (await readFile(classes.path, 'utf8')).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return { model: bytes, labels };
}

/**
 * defaultModel() run in a worker thread of its own (default-model-worker.ts), so the conversion's
 * garbage never lands on the caller's heap; the model bytes are transferred back, not copied.
 * @throws what defaultModel() throws (the same error class, rebuilt across the thread boundary).
 */
export function defaultModelInThread(): Promise<DefaultModel> {
  const worker = new Worker(new URL('./default-model-worker.js', import.meta.url));
  return new Promise<DefaultModel>((resolve, reject) => {
    worker.once('message', (m: { type: 'model'; model: DefaultModel } | { type: 'failed'; error: SerializedError }) => {
      if (m.type === 'model') resolve(m.model);
      else reject(deserializeError(m.error));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`The default model's conversion thread exited with code ${code} before answering.`)));
  });
}

/** The first `count` CIFAR-10 test images as PNG bytes, with their labels. */
export async function cifarPngs(count: number): Promise<{ png: Uint8Array; label: number }[]> {
  const bin = await readFile((await resolveAsset('cifar10-test')).path);
  const out: { png: Uint8Array; label: number }[] = [];
  for (let i = 0; i < count && (i + 1) * 3073 <= bin.length; i++) {
    const rec = bin.subarray(i * 3073, (i + 1) * 3073);
    const rgb = new Uint8Array(3072);
    for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = rec[1 + c * 1024 + p]!;
    out.push({ png: new Uint8Array(await sharp(rgb, { raw: { width: 32, height: 32, channels: 3 } }).png().toBuffer()), label: rec[0]! });
  }
  return out;
}
