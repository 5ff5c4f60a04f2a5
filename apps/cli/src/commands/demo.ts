/**
 * `onebit demo`: the bundled default case end to end. Finds the authors' 1-bit WRN-20-10
 * (MATLAB release; `--model` picks another of the authors' models) and the CIFAR-10 test images
 * through the data resolver, converts the model to a packed ONNX file, validates it with
 * onnxruntime-node against the reference logits, and fails unless its predictions equal the
 * reference on every image.
 */
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { resolveAsset, resolveAssetLocal, readInput } from '@onebit/data';
import { convert, formatSummary } from '@onebit/convert';
import { writeFileAtomic } from '../atomic-write.js';
import { UsageError } from '@onebit/core';
import { positiveInt, printReport, validateFile } from './validate.js';

/** The authors' models the demo runs: data-resolver asset ids and what to say about the result. */
const DEMO_MODELS = {
  'wrn-matlab': { asset: 'wrn-matlab-cifar10', reference: 'wrn-matlab-cifar10-reference-logits', out: 'wrn20-10-cifar10-matlab', what: '1-bit WRN-20-10', published: 'paper: 3.82 % on all 10 000' },
  'wrn-keras': { asset: 'wrn-keras-cifar10', reference: 'wrn-keras-cifar10-reference-logits', out: 'wrn20-10-cifar10-keras', what: '1-bit WRN (Keras release)', published: "authors' README: 3.75 % on all 10 000" },
  // A CIFAR-100 model: on the CIFAR-10 images its top-1 error means nothing; the logits are the check.
  'plain20-4': { asset: 'plain20-4-cifar100', reference: 'plain20-4-cifar100-reference-logits', out: 'plain20-4-cifar100', what: 'plain 20-4 CIFAR-100 net', published: undefined },
} as const;
type DemoModel = keyof typeof DEMO_MODELS;

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .summary("convert the authors' CIFAR-10 WRN and validate it (the default case)")
    .description(
      "Convert the authors' 1-bit WRN-20-10 (MATLAB release) to a packed ONNX model, validate it on the " +
        'CIFAR-10 test images with onnxruntime-node and compare with the reference logits. Data comes from ' +
        '$ONEBIT_SHARED or ../shared, else is downloaded once from the official URLs into ~/.cache/onebit.',
    )
    .option('--out <dir>', 'folder for the converted model and report', 'out')
    .option('--model <name>', `which of the authors' models: ${Object.keys(DEMO_MODELS).join(' | ')} (plain20-4 is a CIFAR-100 model: on CIFAR-10 images only its logits are checked)`, 'wrn-matlab')
    .option('--limit <n>', 'validate only the first n images')
    .action(async (opts: { out: string; limit?: string; model: string }) => {
      positiveInt(opts.limit, '--limit'); // options are checked before anything is written
      if (!(opts.model in DEMO_MODELS)) throw new UsageError(`--model must be one of ${Object.keys(DEMO_MODELS).join(', ')}, not '${opts.model}'.`);
      const demo = DEMO_MODELS[opts.model as DemoModel];
      const progress = { onDownloadStart: (url: string) => console.error(`downloading ${url} …`) };
      const mat = await resolveAsset(demo.asset, progress);
      const data = await resolveAsset('cifar10-test', progress);
      console.log(`model        ${mat.path} (${mat.source})`);
      console.log(`data         ${data.path} (${data.source})`);
      const t0 = performance.now();
      const result = await convert(readInput(mat.path), { fileName: basename(mat.path) });
      const onnxPath = join(opts.out, `${demo.out}.packed.onnx`);
      writeFileAtomic(onnxPath, result.bytes, [mat.path]);
      for (const line of formatSummary(result.summary)) console.log(line);
      console.log(`converted    in ${((performance.now() - t0) / 1000).toFixed(2)} s → ${onnxPath}`);
      // The reference logits cover CIFAR-10 test images 0–999 (the shared subset).
      const reference = data.source === 'shared' ? resolveAssetLocal(demo.reference) : undefined;
      const report = await validateFile(onnxPath, {
        data: data.path,
        runtime: 'node',
        batchSize: '50',
        json: join(opts.out, `${demo.out}.report.json`),
        ...(opts.limit ? { limit: opts.limit } : {}),
        ...(reference ? { reference: reference.path } : {}),
      });
      printReport(report, onnxPath);
      if (report.agreement !== undefined && report.agreement < 1) {
        console.error(`FAIL: ${report.disagreements!.length} predictions differ from the reference (images ${report.disagreements!.slice(0, 10).join(', ')}).`);
        process.exitCode = 1;
      } else {
        console.log(demo.published
          ? `result       OK: ${demo.what} top-1 error ${(100 * report.top1Error).toFixed(2)} % on ${report.n} CIFAR-10 test images (${demo.published})`
          : `result       OK: ${demo.what}: ${report.agreement === undefined ? 'no reference logits to compare with' : `every prediction equals the reference on ${report.n} CIFAR-10 test images`} (a CIFAR-100 model: its top-1 error on CIFAR-10 means nothing)`);
      }
    });
}
