/**
 * The web app's generated assets, made at build time from the data resolver (never the network):
 * the packed MATLAB WRN-20-10 ONNX, its size against the float ONNX (raw and gzipped with
 * node:zlib), the CIFAR-10 class names, the first 20 test images as PNGs, and onnxruntime-node's
 * top-1 for those 20 (via @onebit/validate's node runner) so the page can report agreement.
 */
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { convertSync } from '@onebit/convert';
import { resolveAsset } from '@onebit/data';
import { applyPreprocess, argmaxRows, createRunner, getPreprocess, readCifar, readCifarClassNames } from '@onebit/validate';

export const MODEL_FILE = 'model/wrn20-10-cifar10.packed.onnx';
export const MANIFEST_FILE = 'app-data.json';
export const SAMPLE_COUNT = 20;

export interface SizeFacts {
  readonly raw: number;
  readonly gzip: number;
}

export interface Sample {
  /** Index in the CIFAR-10 test set. */
  readonly index: number;
  readonly file: string;
  readonly label: number;
  /** onnxruntime-node's top-1 class for this image. */
  readonly nodeTop1: number;
}

/** What the page reads from app-data.json. */
export interface AppData {
  readonly model: string;
  readonly modelName: string;
  readonly classes: readonly string[];
  readonly binaryWeights: number;
  readonly sizes: { readonly packed: SizeFacts; readonly float: SizeFacts; readonly gzipLevel: number };
  readonly nodeRuntime: string;
  readonly samples: readonly Sample[];
}

export interface GeneratedAssets {
  readonly files: ReadonlyMap<string, Uint8Array | string>;
  readonly data: AppData;
}

/**
 * gzip at level 6, the common server default (nginx/Apache/Express use 1–6). Level 9 takes ~110 s on
 * the 107 MB float model (its ±scale weights make zlib's lazy matching search long chains) for a
 * 15 % smaller float file; the packed model barely changes with the level.
 */
export const GZIP_LEVEL = 6;

const sizeOf = (bytes: Uint8Array): SizeFacts => ({ raw: bytes.length, gzip: gzipSync(bytes, { level: GZIP_LEVEL }).length });

export async function generateAssets(log: (line: string) => void = () => {}): Promise<GeneratedAssets> {
  const mat = await resolveAsset('wrn-matlab-cifar10');
  const testSet = await resolveAsset('cifar10-test');
  const classesFile = await resolveAsset('cifar10-classes');
  log(`onebit: converting ${mat.path}`);
  const matBytes = new Uint8Array(await readFile(mat.path));
  const packed = convertSync(matBytes, { fileName: mat.path, weights: 'packed' });
  const floatBytes = convertSync(matBytes, { fileName: mat.path, weights: 'float' }).bytes;
  const sizes = { packed: sizeOf(packed.bytes), float: sizeOf(floatBytes), gzipLevel: GZIP_LEVEL };
  const classes = readCifarClassNames(await readFile(classesFile.path, 'utf8'));

  const set = readCifar(new Uint8Array(await readFile(testSet.path)), 'cifar10');
  const n = Math.min(SAMPLE_COUNT, set.n);
  const plane = 3 * 32 * 32;
  const pixels = set.pixels.subarray(0, n * plane);
  const runner = await createRunner(packed.bytes, { runtime: 'node', threads: 2 });
  let logits: Float32Array;
  try {
    logits = await runner.run(applyPreprocess(getPreprocess('raw255'), pixels, 3, 32 * 32), [n, 3, 32, 32]);
  } finally {
    await runner.dispose();
  }
  const top1 = argmaxRows(logits, classes.length);

  const files = new Map<string, Uint8Array | string>();
  files.set(MODEL_FILE, packed.bytes);
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const planar = pixels.subarray(i * plane, (i + 1) * plane);
    const rgb = new Uint8Array(plane);
    for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = planar[c * 1024 + p]!;
    const png = await sharp(rgb, { raw: { width: 32, height: 32, channels: 3 } }).png({ compressionLevel: 9 }).toBuffer();
    const file = `samples/cifar10-test-${String(i).padStart(2, '0')}.png`;
    files.set(file, new Uint8Array(png));
    samples.push({ index: i, file, label: set.labels[i]!, nodeTop1: top1[i]! });
  }
  const data: AppData = {
    model: MODEL_FILE,
    modelName: "McDonnell's 1-bit WRN-20-10, CIFAR-10 (MATLAB release), packed ONNX",
    classes,
    binaryWeights: packed.summary.binaryWeights,
    sizes,
    nodeRuntime: runner.name,
    samples,
  };
  files.set(MANIFEST_FILE, `${JSON.stringify(data, null, 2)}\n`);
  log(`onebit: packed ${sizes.packed.raw} B (gzip ${sizes.packed.gzip}), float ${sizes.float.raw} B (gzip ${sizes.float.gzip}); ${n} samples`);
  return { files, data };
}
