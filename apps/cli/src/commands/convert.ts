/** `onebit convert <input> -o <out.onnx>`: converts a checkpoint to a 1-bit ONNX model. */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { convertToOnnx, formatSummary } from '@onebit/convert';
import { writeFileAtomic } from '../atomic-write.js';
import { readInput } from '../read-input.js';

export function registerConvert(program: Command): void {
  program
    .command('convert')
    .summary('convert a checkpoint to a 1-bit ONNX model')
    .description(
      'Convert a checkpoint to an ONNX model whose binary weights are stored at 1 bit per weight (packed,\n' +
        'decoded by a small standard-op subgraph that onnxruntime constant-folds at load) or as ±scale\n' +
        'float32 (float). Input formats: the authors\' MATLAB and Keras WRN releases (.mat).',
    )
    .argument('<input>', 'checkpoint to convert (.mat)')
    .requiredOption('-o, --output <file>', 'where to write the ONNX model')
    .option('--weights <mode>', 'packed (1 bit per weight) or float (±scale float32)', 'packed')
    .option('--opset <n>', 'ONNX opset to target (7–17)', '13')
    .option('--quiet', 'print nothing on success')
    .action((input: string, opts: { output: string; weights: string; opset: string; quiet?: boolean }) => {
      if (opts.weights !== 'packed' && opts.weights !== 'float') throw new RangeError(`--weights must be 'packed' or 'float', not '${opts.weights}'.`);
      const opset = Number(opts.opset);
      if (!Number.isInteger(opset) || opset < 7 || opset > 17) throw new RangeError(`--opset must be an integer from 7 to 17, not '${opts.opset}'.`);
      const t0 = performance.now();
      const result = convertToOnnx(readInput(input), { fileName: basename(input), weights: opts.weights, opset });
      writeFileAtomic(opts.output, result.bytes, [input]);
      if (!opts.quiet) {
        for (const line of formatSummary(result.summary)) console.log(line);
        console.log(`wrote        ${opts.output} in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
      }
    });
}
