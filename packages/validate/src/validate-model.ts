/**
 * Validates an ONNX classifier on a labelled image set: preprocess each batch, run it on the chosen
 * onnxruntime backend, score the logits, and compare them with reference logits when given. The
 * model's declared input decides the layout (NCHW or NHWC) and, when fixed, the batch size (a last
 * short batch is padded with zero images whose outputs are dropped). The report is plain JSON; the
 * raw logits ride along as a non-enumerable `logits` property.
 */
import { ModelError, allocate, formatDims, toFloat32, type Tensor } from '@onebit/core';
import { accuracyReport, type AccuracyReport } from './accuracy.js';
import type { ImageSet } from './image-set.js';
import { imageSource, isImageSource, type ImageSource } from './image-source.js';
import { parity } from './parity.js';
import { planModelInput, toChannelsLast, type InputLayout } from './model-input.js';
import { applyPreprocess, getPreprocess, type PreprocessPreset } from './preprocess.js';
import { createRunner, type RuntimeName } from './runner.js';
import { REPORT_SCHEMA_VERSION, TOOL, imageSetDigest, preprocessingRecord, runtimeVersion, sha256Hex, type ReportIdentity } from './report-identity.js';
import { shardRange, type Shard } from './shard.js';

export interface ValidateOptions {
  /** ONNX model bytes: one float32 image input (NCHW or NHWC, as it declares), first output = logits [N, classes]. */
  model: Uint8Array;
  /** SHA-256 (hex) recorded as the model's; default: of `model` (the CLI gives the file's, e.g. of a .onebit container). */
  modelSha256?: string;
  /** The tool recorded in the report (default "@onebit/validate <version>"). */
  tool?: string;
  /** The images: in memory, or a lazy source read one batch at a time (openImageSet), so memory holds one batch. */
  data: ImageSet | ImageSource;
  /** A registered preprocessing preset ('raw255' | 'cifar-torchvision' | 'imagenet' | …) or a custom one. Geometry (resize/crop) must already be applied to `data`. */
  preprocess: string | PreprocessPreset;
  runtime?: RuntimeName;
  threads?: number;
  /** Images per run() call (default 50); a model with a fixed batch dimension always gets its own. */
  batchSize?: number;
  /** Validate only the first `limit` images. */
  limit?: number;
  /** Validate only this shard of the (limited) images: a contiguous block, see shard.ts. */
  shard?: Shard;
  /** Said in the report when the images were resized: the resize filter used. */
  resizeFilter?: string;
  /** Reference logits [≥ n, classes] for the same images in the same order. */
  reference?: Tensor;
  onProgress?: (done: number, total: number) => void;
}

export interface ValidationReport extends AccuracyReport, ReportIdentity {
  runtime: RuntimeName;
  /** The runner's description, e.g. "onnxruntime-node 1.30.0 (2 threads)". */
  runtimeName: string;
  preprocess: string;
  preprocessDescription: string;
  /** The resize filter, when the preprocessing resized the images. */
  resizeFilter?: string;
  /** Which images this report covers: [start, end) of `total` (all of them unless sharded). */
  range: { start: number; end: number; total: number; shard?: Shard };
  numClasses: number;
  batchSize: number;
  /** How the images were fed: the model's declared layout. */
  inputLayout: InputLayout;
  inputName: string;
  outputName: string;
  sessionCreationMs: number;
  /** Time inside run() calls only (ms). */
  inferenceMs: number;
  /** Images per second of inference (n / inferenceMs). */
  throughput: number;
  /** Mean wall time of one batch (ms). */
  batchLatencyMs: number;
  /** Present only with a reference. Disagreements are image indices in the whole data set. */
  agreement?: number;
  disagreements?: number[];
  maxAbsLogitDiff?: number;
  maxAbsReferenceLogit?: number;
  /** N×numClasses logits; non-enumerable, so JSON.stringify leaves them out. */
  readonly logits: Float32Array;
}

export async function validateModel(opts: ValidateOptions): Promise<ValidationReport> {
  const { data } = opts;
  if (opts.batchSize !== undefined && (!Number.isInteger(opts.batchSize) || opts.batchSize < 1)) throw new RangeError(`batchSize must be a positive integer, got ${opts.batchSize}.`);
  if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit < 0)) throw new RangeError(`limit must be a non-negative integer, got ${opts.limit}.`);
  const preset = typeof opts.preprocess === 'string' ? getPreprocess(opts.preprocess) : opts.preprocess;
  const total = Math.min(data.n, opts.limit ?? data.n);
  const [first, end] = opts.shard ? shardRange(total, opts.shard) : [0, total];
  const n = end - first;
  const imageSize = data.channels * data.height * data.width;
  if (!isImageSource(data) && data.pixels.length < data.n * imageSize) {
    throw new RangeError(`The image set claims ${data.n} images of ${data.channels}×${data.height}×${data.width} but holds ${data.pixels.length} pixels.`);
  }
  if (data.labels.length < data.n) throw new RangeError(`The image set claims ${data.n} images but holds ${data.labels.length} labels.`);
  const source = isImageSource(data) ? data : imageSource(data);
  const digest = data.digest ?? (isImageSource(data) ? undefined : imageSetDigest(data));
  if (!digest) throw new RangeError('A lazily read image source must carry its digest (what it was read from, hashed) for the report.');
  const reference = opts.reference ? checkReference(opts.reference, end) : undefined;
  const plan = planModelInput(opts.model, data);
  const batchSize = plan.fixedBatch ?? opts.batchSize ?? 50;
  const plane = data.height * data.width;
  const dims = (count: number) => (plan.layout === 'NHWC' ? [count, data.height, data.width, data.channels] : [count, data.channels, data.height, data.width]);

  const runtime = opts.runtime ?? 'node';
  const runner = await createRunner(opts.model, { runtime, ...(opts.threads !== undefined ? { threads: opts.threads } : {}) });
  let logits: Float32Array = new Float32Array(0);
  let numClasses = 0;
  let inferenceMs = 0;
  let batches = 0;
  try {
    // A fixed batch is always fed whole: the images past the data's end stay zero.
    const fed = (count: number) => plan.fixedBatch ?? count;
    const batchImages = fed(Math.min(batchSize, Math.max(n, 1)));
    const batchWhat = `the float32 input batch of ${batchImages} images of ${data.channels}×${data.height}×${data.width} (a smaller --batch-size, --size or --crop needs less)`;
    const scratch = allocate('float32', batchImages * imageSize, batchWhat);
    const channelsLast = plan.layout === 'NHWC' ? allocate('float32', scratch.length, batchWhat) : undefined;
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      const at = first + start;
      applyPreprocess(preset, await source.read(at, at + count), data.channels, plane, scratch);
      if (fed(count) > count) scratch.fill(0, count * imageSize, fed(count) * imageSize);
      const nchw = scratch.subarray(0, fed(count) * imageSize);
      const input = channelsLast ? toChannelsLast(nchw, fed(count), data.channels, plane, channelsLast) : nchw;
      const t0 = performance.now();
      const all = await runner.run(input, dims(fed(count)));
      inferenceMs += performance.now() - t0;
      batches++;
      if (start === 0) {
        numClasses = all.length / fed(count);
        if (!Number.isInteger(numClasses) || numClasses < 1) throw new ModelError(`Output "${runner.outputName}" has ${all.length} values for a batch of ${fed(count)}, not a whole number of classes per image.`, runner.outputName);
        logits = allocate('float32', n * numClasses, `the logits of ${n} images × ${numClasses} classes (validate fewer images at once with --shard or --limit)`);
      } else if (all.length !== fed(count) * numClasses) {
        throw new ModelError(`Output "${runner.outputName}" has ${all.length} values for a batch of ${fed(count)} images, not ${fed(count) * numClasses}.`, runner.outputName);
      }
      const out = all.subarray(0, count * numClasses);
      logits.set(out, start * numClasses);
      opts.onProgress?.(start + count, n);
    }
  } finally {
    await runner.dispose();
  }

  const report: ValidationReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: opts.tool ?? TOOL,
    modelSha256: opts.modelSha256 ?? sha256Hex(opts.model),
    dataSha256: digest.sha256,
    dataDigest: digest.of,
    preprocessing: preprocessingRecord(preset),
    runtimeVersion: runtimeVersion(runtime),
    threads: opts.threads ?? 2,
    ...accuracyReport(logits, Array.prototype.slice.call(data.labels, first, end) as number[], Math.max(numClasses, 1)),
    runtime,
    runtimeName: runner.name,
    preprocess: preset.name,
    preprocessDescription: preset.description,
    ...(opts.resizeFilter !== undefined ? { resizeFilter: opts.resizeFilter } : {}),
    range: { start: first, end, total, ...(opts.shard ? { shard: opts.shard } : {}) },
    numClasses,
    batchSize,
    inputLayout: plan.layout,
    inputName: runner.inputName,
    outputName: runner.outputName,
    sessionCreationMs: runner.sessionCreationMs,
    inferenceMs,
    throughput: inferenceMs > 0 ? (n * 1000) / inferenceMs : 0,
    batchLatencyMs: batches ? inferenceMs / batches : 0,
    logits,
  };
  if (reference) {
    if (reference.dims[1] !== numClasses) throw new ModelError(`Reference logits have ${reference.dims[1]} classes per row but the model outputs ${numClasses}.`);
    const p = parity(logits, reference.data.subarray(first * numClasses, end * numClasses), numClasses);
    Object.assign(report, { agreement: p.agreement, disagreements: p.disagreements.map((i) => i + first), maxAbsLogitDiff: p.maxAbsLogitDiff, maxAbsReferenceLogit: p.maxAbsReferenceLogit });
  }
  Object.defineProperty(report, 'logits', { value: logits, enumerable: false });
  return report;
}

/** The reference as float32 rows, checked to be 2-D with at least `n` rows. */
function checkReference(reference: Tensor, n: number): { dims: readonly number[]; data: Float32Array } {
  if (reference.dims.length !== 2 || reference.dims[0]! < n) {
    throw new ModelError(`Reference logits of shape ${formatDims(reference.dims)} are not a 2-D [images, classes] array with at least ${n} rows.`);
  }
  if (reference.dtype === 'int64' || reference.dtype === 'uint64' || reference.dtype === 'bool') {
    throw new ModelError(`Reference logits are ${reference.dtype}, not floating point.`);
  }
  return { dims: reference.dims, data: toFloat32(reference.dtype, reference.data) };
}
