/**
 * `onebit validate <model.onnx> --data <file|folder>`: runs a model over a labelled dataset in one or
 * all onnxruntime runtimes and reports top-1/top-5 error, throughput, parity with reference logits
 * and between runtimes, and the CI gates; writes JSON, JUnit and a self-contained HTML report. The
 * preprocessing is what the model's metadata records (onebit writes `onebit.preprocess`) or what
 * --preprocess says; it is never guessed: a model recording none needs the flag. The work is done
 * by @onebit/validate; this file parses and prints.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { FormatError, ModelError, UsageError } from '@onebit/core';
import { convertSync, detectFormat } from '@onebit/convert';
import { resolveAsset, readInput } from '@onebit/data';
import { decodeModel } from '@onebit/onnx';
import {
  RUNTIMES, checkBaseline, customPreprocess, describeGeometry, evaluateGates, formatReportJson, getPreprocess, misclassified, openImageSet, parseErrorBound, parseFraction,
  parseReportJson, preprocessNames, preprocessingRecord, parsePercentagePoints, parseShard, readNpy, renderHtmlReport, sha256Hex, shardRange, thumbnails, toJUnit, validateRuntimes,
  type Check, type GateSpec, type MultiRuntimeReport, type ReportJson, type RuntimeName,
} from '@onebit/validate';
import { writeFileAtomic } from '../atomic-write.js';
import { progressBar } from '../progress.js';
import { TOOL } from '../version.js';

export interface ValidateCommandOptions {
  data?: string;
  labels?: string;
  limit?: string;
  reference?: string;
  json?: string;
  junit?: string;
  html?: string;
  runtime: string;
  threads?: string;
  batchSize: string;
  preprocess?: string;
  mean?: string;
  std?: string;
  size?: string;
  crop?: string;
  shard?: string;
  expectTop1Error?: string;
  maxDropVs?: string[];
  minAgreement?: string;
  perClass?: boolean;
}

/** The report validateFile returns: the validation plus the checks the gates gave. */
export type ValidateFileReport = MultiRuntimeReport & { model: string; data: string; classNames?: string[]; checks: Check[] };

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .summary('measure a model\'s accuracy on a labelled dataset')
    .description(
      'Run an ONNX classifier over a labelled dataset with onnxruntime (node, wasm, browser) or onebit\'s ' +
        'bit-native engine (onebit) and report top-1/top-5 error (with a ' +
        '95 % confidence interval), throughput and, given reference logits, top-1 agreement and max |Δlogit|. ' +
        'Datasets: CIFAR-10/100 binary batches, MNIST IDX files, or a folder of JPEG/PNG images with labels.csv ' +
        '(filename,class_index) or a "filename index" ground-truth file and classes.txt (format detected). ' +
        'Gates exit with status 1 and a line naming the gate, the measured value and the limit.',
    )
    .argument('<model>', 'ONNX model or .onebit container to validate')
    .option('--data <path>', 'dataset file or image folder (default: the CIFAR-10 test batch found by the data resolver)')
    .option('--labels <file>', 'labels file of an image folder (default: labels.csv / val_ground_truth.txt beside it)')
    .option('--limit <n>', 'validate only the first n images')
    .option('--reference <logits.npy>', 'reference logits [N, classes] for the same images, for parity')
    .option('--json <report.json>', 'write the full report as JSON (what `onebit report merge` reads)')
    .option('--junit <report.xml>', 'write JUnit XML, one test case per check')
    .option('--html <report.html>', 'write a self-contained HTML report (heat map, per-class bars, misclassified images)')
    .option('--runtime <name>', `${RUNTIMES.join(' | ')} | all (each in turn, with cross-runtime parity)`, 'node')
    .option('--threads <n>', 'threads of the runtime: onnxruntime\'s intra-op or wasm threads, the engine\'s worker threads (default 2; wasm: one count per process)')
    .option('--batch-size <n>', 'images per inference call (a model that fixes its batch dimension gets its own)', '50')
    .option('--preprocess <name>', `${preprocessNames().join(' | ')} (default: the one the model records in its onebit.preprocess metadata; required when it records none)`)
    .option('--mean <list>', 'override the per-channel mean, e.g. 0.485,0.456,0.406')
    .option('--std <list>', 'override the per-channel std, e.g. 0.229,0.224,0.225')
    .option('--size <n>', 'resize the shorter side to n pixels (sharp) before cropping')
    .option('--crop <n>', 'centre crop n×n after resizing')
    .option('--shard <i/n>', 'validate only the i-th of n contiguous blocks of the images (merge with `onebit report merge`)')
    .option('--expect-top1-error <bound>', "gate: top-1 error bound, e.g. '<=0.039'")
    .option('--max-drop-vs <file-and-pp...>', "gate: '<baseline.json> 0.5pp': top-1 error may rise at most 0.5 points over that report's (which must have measured the same data, images and preprocessing)")
    .option('--min-agreement <fraction>', 'gate: minimum top-1 agreement with --reference and between runtimes, e.g. 1.0')
    .option('--per-class', 'print the per-class accuracy table')
    .action(async (model: string, opts: ValidateCommandOptions) => {
      const report = await validateFile(model, opts);
      printReport(report, model, { perClass: opts.perClass === true });
      if (report.checks.some((c) => !c.passed)) process.exitCode = 1;
    });
}

/** `value` as a positive integer (undefined stays undefined); a UsageError (exit 2) otherwise. */
export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, not '${value}'.`);
  return n;
}

function numberList(value: string | undefined, flag: string): number[] | undefined {
  if (value === undefined) return undefined;
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.some((v) => !Number.isFinite(v))) throw new UsageError(`${flag} must be comma-separated numbers, not '${value}'.`);
  return list;
}

/** The gates asked for, and the `--max-drop-vs` baseline report (schema-checked; checkBaseline compares it with the run). */
export interface Gates {
  spec: GateSpec;
  baseline?: { name: string; report: ReportJson };
}

/** Parses the gate flags; `--max-drop-vs` reads the baseline report, refusing one without the current schemaVersion. */
export function gateSpec(opts: Pick<ValidateCommandOptions, 'expectTop1Error' | 'maxDropVs' | 'minAgreement'>): Gates {
  const spec: GateSpec = {};
  let baseline: Gates['baseline'];
  if (opts.expectTop1Error !== undefined) spec.expectTop1Error = parseErrorBound(opts.expectTop1Error);
  if (opts.maxDropVs !== undefined) {
    const [file, pp, ...extra] = opts.maxDropVs;
    if (file === undefined || pp === undefined || extra.length) throw new UsageError(`--max-drop-vs takes a report file and a drop like '0.5pp', got '${opts.maxDropVs.join(' ')}'.`);
    const maxDropPp = parsePercentagePoints(pp);
    const report = parseReportJson(new TextDecoder().decode(readInput(file, '--max-drop-vs report')), basename(file));
    spec.maxDropVs = { name: basename(file), referenceTop1Error: report.top1Error, maxDropPp };
    baseline = { name: basename(file), report };
  }
  if (opts.minAgreement !== undefined) spec.minAgreement = parseFraction(opts.minAgreement, '--min-agreement');
  return { spec, ...(baseline ? { baseline } : {}) };
}

export async function validateFile(modelPath: string, opts: ValidateCommandOptions): Promise<ValidateFileReport> {
  const runtimes: RuntimeName[] = opts.runtime === 'all' ? [...RUNTIMES] : [opts.runtime as RuntimeName];
  if (!RUNTIMES.includes(runtimes[0]!)) throw new UsageError(`--runtime must be ${RUNTIMES.join(', ')} or all, not '${opts.runtime}'.`);
  const gates = gateSpec(opts);
  const input = readInput(modelPath, 'model');
  // A .onebit container is validated as the packed ONNX model it converts to (in memory, bit-exact).
  const model = detectFormat(input, basename(modelPath)) === 'onebit' ? convertSync(input, { fileName: basename(modelPath), to: 'onnx' }).bytes : input;
  const metadata = decodeModel(model, basename(modelPath)).metadata;
  const preprocessName = opts.preprocess ?? metadata['onebit.preprocess'];
  if (preprocessName === undefined) {
    throw new UsageError(`${basename(modelPath)} records no preprocessing (no onebit.preprocess metadata), so pass the one it was trained with: --preprocess ${preprocessNames().join('|')}.`);
  }
  if (opts.preprocess === undefined && !preprocessNames().includes(preprocessName)) {
    // Read from the model, so bad data (exit 1), not a bad flag.
    throw new ModelError(`${basename(modelPath)} records preprocessing "${preprocessName}" in its onebit.preprocess metadata, which is not one of ${preprocessNames().join(', ')}; pass the one it was trained with: --preprocess ${preprocessNames().join('|')}.`);
  }
  const base = getPreprocess(preprocessName);
  const mean = numberList(opts.mean, '--mean');
  const std = numberList(opts.std, '--std');
  const resize = positiveInt(opts.size, '--size');
  const crop = positiveInt(opts.crop, '--crop');
  const preset = customPreprocess(base, { ...(mean ? { mean } : {}), ...(std ? { std } : {}), ...(resize ? { resize } : {}), ...(crop ? { crop } : {}) });
  const geometry = { ...(preset.resize !== undefined ? { resize: preset.resize } : {}), ...(preset.crop !== undefined ? { crop: preset.crop } : {}) };
  const limit = positiveInt(opts.limit, '--limit');
  const threads = positiveInt(opts.threads, '--threads');
  const shard = opts.shard !== undefined ? parseShard(opts.shard) : undefined;
  const dataPath = (await resolveAsset('cifar10-test', opts.data ? { path: opts.data } : {})).path;
  const reference = opts.reference ? readNpy(readInput(opts.reference, 'reference')) : undefined;

  // Opened lazily: each batch is read (decoded, for an image folder) when validation reaches it.
  // Opened by the path as typed (the resolver has checked it exists), so data errors quote it so.
  const data = await openImageSet(opts.data ?? dataPath, { geometry, ...(opts.labels ? { labelsPath: opts.labels } : {}) });
  const resizeFilter = Object.keys(geometry).length ? describeGeometry(geometry) : undefined;
  if (gates.baseline) {
    // Refuse a baseline of other data, images or preprocessing before spending time on inference.
    const total = Math.min(data.n, limit ?? data.n);
    const [start, end] = shard ? shardRange(total, shard) : [0, total];
    checkBaseline(gates.baseline.report, {
      data: basename(dataPath), dataSha256: data.digest.sha256, n: end - start, range: { start, end, total },
      preprocess: preset.name, preprocessing: preprocessingRecord(preset), ...(resizeFilter ? { resizeFilter } : {}),
    }, gates.baseline.name);
  }

  const bar = progressBar(`validate ${basename(modelPath)}`);
  let result: MultiRuntimeReport;
  try {
    result = await validateRuntimes({
      model, modelSha256: sha256Hex(input), tool: TOOL, data, preprocess: preset, runtimes,
      batchSize: positiveInt(opts.batchSize, '--batch-size') ?? 50,
      ...(resizeFilter ? { resizeFilter } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(threads !== undefined ? { threads } : {}),
      ...(shard ? { shard } : {}),
      ...(reference ? { reference } : {}),
      onProgress: (_runtime, done, total) => bar.update(done, total),
    });
  } finally {
    bar.stop();
  }
  const total = result.range?.total ?? result.n;
  if (limit !== undefined && limit > total) console.error(`note: --limit ${limit} is more than the ${total} images in ${basename(dataPath)}; validating all ${total}.`);
  const checks = evaluateGates(result, gates.spec);
  const report: ValidateFileReport = Object.assign(result, {
    model: basename(modelPath), data: basename(dataPath),
    ...(data.classNames ? { classNames: data.classNames } : {}),
    checks,
  });
  const inputs = [modelPath, dataPath];
  if (opts.json) writeFileAtomic(opts.json, formatReportJson(report), inputs);
  if (opts.junit) {
    writeFileAtomic(opts.junit, toJUnit(`${basename(modelPath)} on ${basename(dataPath)}`, checks, {
      runtime: report.runtimeName, preprocess: report.preprocess, images: report.n, top1Error: report.top1Error, top5Error: report.top5Error,
    }), inputs);
  }
  if (opts.html) {
    const shown = misclassified(report).slice(0, 200);
    const html = renderHtmlReport(report, {
      title: `onebit: ${basename(modelPath)} on ${basename(dataPath)}`, checks,
      ...(data.classNames ? { classNames: data.classNames } : {}),
      thumbnails: await thumbnails(data, shown),
    });
    writeFileAtomic(opts.html, html, inputs);
  }
  return report;
}

export function printReport(r: Omit<MultiRuntimeReport, 'logits'> & { checks?: Check[]; classNames?: string[] }, modelPath: string, options: { perClass?: boolean } = {}): void {
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  const errors = Math.round(r.top1Error * r.n);
  const range = r.range && r.range.total !== r.n ? ` = images ${r.range.start}–${r.range.end - 1} of ${r.range.total}${r.range.shard ? ` (shard ${r.range.shard.index}/${r.range.shard.count})` : ''}` : '';
  console.log(`model        ${modelPath}`);
  console.log(`runtime      ${r.runtimeName}; session created in ${r.sessionCreationMs.toFixed(0)} ms`);
  console.log(`preprocess   ${r.preprocess}: ${r.preprocessDescription}`);
  if (r.resizeFilter) console.log(`resize       ${r.resizeFilter}`);
  console.log(`images       ${r.n}${range}${r.n < 10000 ? ' (a small subset: read the confidence interval)' : ''}`);
  console.log(`top-1 error  ${pct(r.top1Error)} (${errors}/${r.n}), 95 % CI ${pct(r.top1ErrorCI95[0])} – ${pct(r.top1ErrorCI95[1])}`);
  console.log(`top-5 error  ${pct(r.top5Error)}`);
  console.log(`throughput   ${r.throughput.toFixed(1)} images/s (batch ${r.batchSize}${r.inputLayout === 'NHWC' ? ', NHWC input' : ''}, ${r.batchLatencyMs.toFixed(0)} ms per batch)`);
  if (r.agreement !== undefined) {
    const agreeing = Math.round(r.agreement * r.n);
    console.log(`reference    top-1 agreement ${pct(r.agreement)} (${agreeing}/${r.n}), max |Δlogit| ${r.maxAbsLogitDiff!.toExponential(2)} (max |logit| ${r.maxAbsReferenceLogit!.toFixed(1)})`);
  }
  for (const s of r.runtimes ?? []) {
    console.log(`  ${s.runtime.padEnd(8)} ${s.runtimeName}: top-1 error ${pct(s.top1Error)}, ${s.throughput.toFixed(1)} images/s, ${s.batchLatencyMs.toFixed(0)} ms per batch`);
  }
  for (const p of r.crossRuntime ?? []) {
    console.log(`parity       ${p.a} vs ${p.b}: top-1 agreement ${pct(p.agreement)}, max |Δlogit| ${p.maxAbsLogitDiff.toExponential(2)}`);
  }
  if (options.perClass) {
    console.log('class  images  accuracy  name');
    r.perClassAccuracy.forEach((a, i) => {
      console.log(`${String(i).padStart(5)}  ${String(r.perClassCount[i]).padStart(6)}  ${a === null ? '       —' : pct(a).padStart(8)}  ${r.classNames?.[i] ?? ''}`);
    });
  }
  for (const c of r.checks ?? []) (c.passed ? console.log : console.error)(c.message);
}
