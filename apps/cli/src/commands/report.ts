/**
 * `onebit report merge shard-*.json -o report.json`: combines the JSON reports of `--shard i/n`
 * runs into the report a single run over all the images gives (mergeReports in @onebit/validate)
 * and prints its summary. Fails, naming the file, when shards overlap, miss images or differ in
 * model, data (by SHA-256), runtime, preprocessing or report schema, or when a shard is given twice. The same gates as `validate` (--expect-top1-error,
 * --min-agreement, --max-drop-vs) apply to the merged numbers and exit 1 when one fails; --junit
 * writes one test case per check, so a CI matrix gates once, on all its shards together.
 */
import { readInput } from '@onebit/data';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { checkBaseline, evaluateGates, formatReportJson, mergeReports, parseReportJson, toJUnit } from '@onebit/validate';
import { writeFileAtomic } from '../atomic-write.js';
import { gateSpec, printReport } from './validate.js';

export function registerReport(program: Command): void {
  const report = program.command('report').summary('work with validation reports');
  report
    .command('merge')
    .summary('merge shard reports into one')
    .description('Combine the --json reports of `onebit validate --shard i/n` runs into the report of one unsharded run.')
    .argument('<reports...>', 'shard report JSON files, in any order')
    .requiredOption('-o, --out <report.json>', 'merged report to write')
    .option('--junit <report.xml>', 'write JUnit XML of the merged report, one test case per check')
    .option('--expect-top1-error <bound>', "gate on the merged top-1 error, e.g. '<=0.039'")
    .option('--max-drop-vs <file-and-pp...>', "gate: '<baseline.json> 0.5pp': merged top-1 error may rise at most 0.5 points over that report's (same data, images and preprocessing)")
    .option('--min-agreement <fraction>', 'gate on the merged top-1 agreement with the reference, e.g. 1.0')
    .action((files: string[], opts: { out: string; junit?: string; expectTop1Error?: string; maxDropVs?: string[]; minAgreement?: string }) => {
      const gates = gateSpec(opts);
      const reports = files.map((file) => parseReportJson(new TextDecoder().decode(readInput(file, 'shard report')), basename(file)));
      const merged = mergeReports(reports, files.map((f) => basename(f)));
      if (gates.baseline) checkBaseline(gates.baseline.report, merged, gates.baseline.name);
      const checks = evaluateGates(merged, gates.spec);
      writeFileAtomic(opts.out, formatReportJson({ ...merged, checks }), files);
      if (opts.junit) {
        writeFileAtomic(opts.junit, toJUnit(`${merged.model ?? 'model'} on ${merged.data ?? 'data'} (${files.length} shards merged)`, checks, {
          runtime: merged.runtimeName, preprocess: merged.preprocess, images: merged.n, top1Error: merged.top1Error, top5Error: merged.top5Error,
        }), files);
      }
      printReport({ ...merged, checks }, merged.model ?? '');
      console.log(`merged       ${files.length} shard reports → ${opts.out}`);
      if (checks.some((c) => !c.passed)) process.exitCode = 1;
    });
}
