/**
 * `onebit report merge shard-*.json -o report.json`: combines the JSON reports of `--shard i/n`
 * runs into the report a single run over all the images gives (mergeReports in @onebit/validate)
 * and prints its summary. Fails, naming the file, when shards overlap, miss images or differ in
 * model, data, runtime or preprocessing.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { FormatError } from '@onebit/core';
import { formatReportJson, mergeReports, type ReportJson } from '@onebit/validate';
import { writeFileAtomic } from '../atomic-write.js';
import { readInput } from '../read-input.js';
import { printReport } from './validate.js';

export function registerReport(program: Command): void {
  const report = program.command('report').summary('work with validation reports');
  report
    .command('merge')
    .summary('merge shard reports into one')
    .description('Combine the --json reports of `onebit validate --shard i/n` runs into the report of one unsharded run.')
    .argument('<reports...>', 'shard report JSON files, in any order')
    .requiredOption('-o, --out <report.json>', 'merged report to write')
    .action((files: string[], opts: { out: string }) => {
      const reports = files.map((file) => {
        try {
          return JSON.parse(new TextDecoder().decode(readInput(file, 'shard report'))) as ReportJson;
        } catch (e) {
          if (e instanceof SyntaxError) throw new FormatError('report', `${file} is not JSON: ${e.message}.`);
          throw e;
        }
      });
      const merged = mergeReports(reports, files.map((f) => basename(f)));
      writeFileAtomic(opts.out, formatReportJson(merged), files);
      printReport(merged, merged.model ?? '');
      console.log(`merged       ${files.length} shard reports → ${opts.out}`);
    });
}
