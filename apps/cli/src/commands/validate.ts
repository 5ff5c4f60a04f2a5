/**
 * `onebit validate <model.onnx> --data <file>`: runs a model over a labelled dataset in
 * onnxruntime and reports top-1/top-5 error, throughput and, with --reference, parity with
 * reference logits. The preprocessing defaults to what the model's metadata says (onebit writes
 * `onebit.preprocess`), else raw255.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { resolveAsset } from '@onebit/data';
import { decodeModel } from '@onebit/onnx';
import { loadImageSet, readNpy, validateModel, type RuntimeName, type ValidationReport } from '@onebit/validate';
import { writeFileAtomic } from '../atomic-write.js';
import { progressBar } from '../progress.js';
import { readInput } from '../read-input.js';

export interface ValidateCommandOptions {
  data?: string;
  limit?: string;
  reference?: string;
  json?: string;
  runtime: string;
  threads?: string;
  batchSize: string;
  preprocess?: string;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .summary('measure a model\'s accuracy on a labelled dataset')
    .description(
      'Run an ONNX classifier over a labelled dataset with onnxruntime and report top-1/top-5 error (with a\n' +
        '95 % confidence interval), throughput and, given reference logits, top-1 agreement and max |Δlogit|.\n' +
        'Datasets: CIFAR-10/100 binary batches and MNIST IDX files (format detected from the bytes).',
    )
    .argument('<model>', 'ONNX model to validate')
    .option('--data <file>', 'dataset file (default: the CIFAR-10 test batch found by the data resolver)')
    .option('--limit <n>', 'validate only the first n images')
    .option('--reference <logits.npy>', 'reference logits [N, classes] for the same images, for parity')
    .option('--json <report.json>', 'write the full report as JSON')
    .option('--runtime <name>', 'node (onnxruntime-node) or wasm (onnxruntime-web in Node)', 'node')
    .option('--threads <n>', 'intra-op threads (default 2)')
    .option('--batch-size <n>', 'images per inference call', '50')
    .option('--preprocess <name>', 'raw255 | cifar-torchvision (default: from the model metadata, else raw255)')
    .action(async (model: string, opts: ValidateCommandOptions) => {
      const report = await validateFile(model, opts);
      printReport(report, model);
    });
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${flag} must be a positive integer, not '${value}'.`);
  return n;
}

export async function validateFile(modelPath: string, opts: ValidateCommandOptions): Promise<ValidationReport> {
  if (opts.runtime !== 'node' && opts.runtime !== 'wasm') throw new RangeError(`--runtime must be 'node' or 'wasm', not '${opts.runtime}'.`);
  const runtime: RuntimeName = opts.runtime;
  const model = readInput(modelPath, 'model');
  const metadata = decodeModel(model, basename(modelPath)).metadata;
  const dataPath = (await resolveAsset('cifar10-test', opts.data ? { path: opts.data } : {})).path;
  const data = await loadImageSet(dataPath);
  const reference = opts.reference ? readNpy(readInput(opts.reference, 'reference')) : undefined;
  const limit = positiveInt(opts.limit, '--limit');
  const threads = positiveInt(opts.threads, '--threads');
  const bar = progressBar(`validate ${basename(modelPath)}`);
  try {
    const report = await validateModel({
      model,
      data,
      preprocess: opts.preprocess ?? metadata['onebit.preprocess'] ?? 'raw255',
      runtime,
      batchSize: positiveInt(opts.batchSize, '--batch-size') ?? 50,
      ...(limit !== undefined ? { limit } : {}),
      ...(threads !== undefined ? { threads } : {}),
      ...(reference ? { reference } : {}),
      onProgress: (done, total) => bar.update(done, total),
    });
    if (opts.json) writeFileAtomic(opts.json, `${JSON.stringify({ model: basename(modelPath), data: basename(dataPath), ...report }, null, 2)}\n`, [modelPath, dataPath]);
    return report;
  } finally {
    bar.stop();
  }
}

export function printReport(r: ValidationReport, modelPath: string): void {
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  const errors = Math.round(r.top1Error * r.n);
  console.log(`model        ${modelPath}`);
  console.log(`runtime      ${r.runtimeName}; session created in ${r.sessionCreationMs.toFixed(0)} ms; preprocess ${r.preprocess}`);
  console.log(`images       ${r.n}${r.n < 10000 ? ' (a small subset: read the confidence interval)' : ''}`);
  console.log(`top-1 error  ${pct(r.top1Error)} (${errors}/${r.n}), 95 % CI ${pct(r.top1ErrorCI95[0])} – ${pct(r.top1ErrorCI95[1])}`);
  console.log(`top-5 error  ${pct(r.top5Error)}`);
  console.log(`throughput   ${r.throughput.toFixed(1)} images/s (batch ${r.batchSize}, ${r.batchLatencyMs.toFixed(0)} ms per batch)`);
  if (r.agreement !== undefined) {
    const agreeing = Math.round(r.agreement * r.n);
    console.log(`reference    top-1 agreement ${pct(r.agreement)} (${agreeing}/${r.n}), max |Δlogit| ${r.maxAbsLogitDiff!.toExponential(2)} (max |logit| ${r.maxAbsReferenceLogit!.toFixed(1)})`);
  }
}
