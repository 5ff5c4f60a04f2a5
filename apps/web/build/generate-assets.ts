/**
 * The web app's generated assets, made at build time from the data resolver (never the network):
 * the packed MATLAB WRN-20-10 ONNX, its size against the float ONNX (raw and gzipped with
 * node:zlib), the CIFAR-10 class names, the first 20 test images as PNGs, and onnxruntime-node's
 * top-1 for those 20 (via @onebit/validate's node runner) so the page can report agreement; and the
 * authors' plain 20-4 CIFAR-100 net, packed, as a second model the page can switch to (its 100
 * CIFAR-100 fine label names and its onnxruntime-node top-1 on the same 20 images).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { convertSync } from '@onebit/convert';
import { CIFAR100_CLASSES } from '@onebit/runtime';
import { resolveAsset } from '@onebit/data';
import { applyPreprocess, argmaxRows, createRunner, getPreprocess, readCifar, readCifarClassNames } from '@onebit/validate';

export const MODEL_FILE = 'model/wrn20-10-cifar10.packed.onnx';
export const PLAIN_MODEL_FILE = 'model/plain20-4-cifar100.packed.onnx';
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

/** A model the page offers (the first of AppData.models is the one it loads at start). */
export interface ModelChoice {
  readonly id: string;
  readonly file: string;
  readonly name: string;
  /** The model's output names, in output order. */
  readonly classes: readonly string[];
  /** True when the bundled samples' labels are this model's classes (CIFAR-10); only then is accuracy meaningful. */
  readonly scoresSampleLabels: boolean;
  readonly binaryWeights: number;
  /** SHA-256 (hex) of the model file as built: the page pins it (expectedSha256), so a cached or served copy of other bytes is refused. */
  readonly sha256: string;
  /** onnxruntime-node's top-1 class for each bundled sample, in sample order. */
  readonly nodeTop1: readonly number[];
}

/** What the page reads from app-data.json. The top-level model fields describe the default model (models[0]). */
export interface AppData {
  readonly model: string;
  readonly modelName: string;
  readonly classes: readonly string[];
  readonly binaryWeights: number;
  readonly sizes: { readonly packed: SizeFacts; readonly float: SizeFacts; readonly gzipLevel: number };
  readonly nodeRuntime: string;
  readonly samples: readonly Sample[];
  readonly models: readonly ModelChoice[];
}

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

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

/** onnxruntime-node's top-1 class of each image (raw255 NCHW pixels, n×3×32×32) for `model`. */
async function nodeTop1(model: Uint8Array, pixels: Uint8Array, n: number, classes: number): Promise<{ top1: number[]; runtime: string }> {
  const runner = await createRunner(model, { runtime: 'node', threads: 2 });
  try {
    const logits = await runner.run(applyPreprocess(getPreprocess('raw255'), pixels, 3, 32 * 32), [n, 3, 32, 32]);
    return { top1: Array.from(argmaxRows(logits, classes)), runtime: runner.name };
  } finally {
    await runner.dispose();
  }
}

export async function generateAssets(log: (line: string) => void = () => {}): Promise<GeneratedAssets> {
  const mat = await resolveAsset('wrn-matlab-cifar10');
  const plainMat = await resolveAsset('plain20-4-cifar100');
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
  const { top1, runtime } = await nodeTop1(packed.bytes, pixels, n, classes.length);
  log(`onebit: converting ${plainMat.path}`);
  const plain = convertSync(new Uint8Array(await readFile(plainMat.path)), { fileName: plainMat.path, weights: 'packed' });
  const plainTop1 = (await nodeTop1(plain.bytes, pixels, n, CIFAR100_CLASSES.length)).top1;

  const files = new Map<string, Uint8Array | string>();
  files.set(MODEL_FILE, packed.bytes);
  files.set(PLAIN_MODEL_FILE, plain.bytes);
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
  const modelName = "McDonnell's 1-bit WRN-20-10, CIFAR-10 (MATLAB release), packed ONNX";
  const data: AppData = {
    model: MODEL_FILE,
    modelName,
    classes,
    binaryWeights: packed.summary.binaryWeights,
    sizes,
    nodeRuntime: runtime,
    samples,
    models: [
      { id: 'wrn20-10', file: MODEL_FILE, name: modelName, classes, scoresSampleLabels: true, binaryWeights: packed.summary.binaryWeights, sha256: sha256Hex(packed.bytes), nodeTop1: top1 },
      {
        id: 'plain20-4',
        file: PLAIN_MODEL_FILE,
        name: "McDonnell's 1-bit plain 20-4 network, CIFAR-100 (MATLAB release), packed ONNX",
        classes: CIFAR100_CLASSES,
        scoresSampleLabels: false,
        binaryWeights: plain.summary.binaryWeights,
        sha256: sha256Hex(plain.bytes),
        nodeTop1: plainTop1,
      },
    ],
  };
  files.set(MANIFEST_FILE, `${JSON.stringify(data, null, 2)}\n`);
  log(`onebit: packed ${sizes.packed.raw} B (gzip ${sizes.packed.gzip}), float ${sizes.float.raw} B (gzip ${sizes.float.gzip}); plain 20-4 packed ${plain.bytes.length} B; ${n} samples`);
  return { files, data };
}
