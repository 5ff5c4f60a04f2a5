/** `onebit inspect <file>`: says what a file is and what it holds. */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { inspectModel } from '@onebit/convert';
import { readInput } from '../read-input.js';

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .summary('show what a model file is and what it holds')
    .description('Detect the format of a model file and list what it holds: variables or tensors with dtype, shape and\nbytes, which are already binary or would be binarized (with their distance from ±a), checkpoint\nmetadata such as epoch and best_prec1, and for the authors\' WRN releases the network read from it.')
    .argument('<file>', 'model file (.onnx, .mat, .pt/.pth/.th, .safetensors, .onebit)')
    .option('--json', 'print the description as JSON')
    .action((file: string, opts: { json?: boolean }) => {
      const info = inspectModel(readInput(file), basename(file));
      if (opts.json) console.log(JSON.stringify(info, null, 2));
      else for (const line of info.lines) console.log(line);
    });
}
