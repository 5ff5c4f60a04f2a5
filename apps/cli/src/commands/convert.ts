/**
 * `onebit convert <input> -o <out.onnx|out.onebit>`: parses the flags, reads the input, calls
 * convert() of @onebit/convert (which holds all the routing), writes the result atomically and
 * prints the summary and what happened to every weight.
 */
import { readInput } from '@onebit/data';
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { convert, formatSummary, type ConvertOptions } from '@onebit/convert';
import { parseScaleRule } from '@onebit/onnx-binarize';
import { UsageError } from '@onebit/core';
import { getPreprocess, preprocessNames } from '@onebit/validate';
import { writeFileAtomic } from '../atomic-write.js';
import { confinedReader } from '@onebit/onnx/confined-reader';
import { addReaderLimitOptions, readerLimits, type ReaderLimitFlags } from '../reader-limit-flags.js';

interface ConvertFlags extends ReaderLimitFlags {
  output: string;
  weights: string;
  opset: string;
  graph?: string;
  scale: string;
  keepFirst?: boolean;
  keepLast?: boolean;
  keep: string[];
  binarize: string[];
  includeGemm?: boolean;
  allowUnused?: boolean;
  preprocess?: string;
  includeConvtranspose?: boolean;
  allowNone?: boolean;
  quiet?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerConvert(program: Command): void {
  const command = program
    .command('convert')
    .summary('convert a checkpoint to a 1-bit ONNX model')
    .description(
      'Convert a checkpoint to an ONNX model whose binary weights are stored at 1 bit per weight (packed, ' +
        'decoded by a small standard-op subgraph that onnxruntime constant-folds at load) or as ±scale ' +
        'float32 (float). Inputs: the authors\' MATLAB and Keras WRN releases (.mat); an ONNX model (Conv ' +
        'weights, followed through Constant/Identity/Cast/Reshape, and Gemm/MatMul with --include-gemm and ' +
        'ConvTranspose with --include-convtranspose, become sign(w)·scale; weights already ±a are packed ' +
        'losslessly; a graph that declares its own binarization (Sign(W)·scale as torch.onnx.export writes ' +
        'it, QONNX BipolarQuant or 1-bit Quant) keeps exactly its declared weights binary, folded into packed bits); ' +
        'every weight is reported binarized or kept with the reason, and a run that binarizes nothing fails ' +
        'unless --allow-none; a PyTorch (.pt/.pth/.th) or safetensors state_dict applied onto the ONNX graph ' +
        'exported from the same model (--graph). Glob rules (*, ?) match initializer names; a weight matched ' +
        'by a keep rule and a binarize rule is an error. ' +
        'With -o <file>.onebit the result is the bit-packed container (any of these inputs, or onebit\'s ' +
        'own ONNX or .onebit); a .onebit input converts back to ONNX bit-exactly.',
    )
    .argument('<input>', 'checkpoint to convert (.mat, .onnx, .pt/.pth/.th, .safetensors, .onebit)')
    .requiredOption('-o, --output <file>', 'where to write the result: a .onnx model, or a .onebit container')
    .option('--graph <model.onnx>', 'for a state_dict: the ONNX graph exported from the same model')
    .option('--weights <mode>', 'packed (1 bit per weight) or float (±scale float32)', 'packed')
    .option('--scale <rule>', "he (sqrt(2/fan_in), the paper's), mean-abs (per output channel, BWN) or a number", 'he')
    .option('--keep-first', 'keep the first binarizable weight float')
    .option('--keep-last', 'keep the last binarizable weight float')
    .option('--keep <glob>', 'keep weights whose name matches (repeatable)', collect, [])
    .option('--binarize <glob>', 'binarize only weights whose name matches (repeatable)', collect, [])
    .option('--include-gemm', 'also binarize Gemm and MatMul weights')
    .option('--preprocess <name>', `the input preprocessing the model was trained with, recorded in the output for validate: ${preprocessNames().join(' | ')} (the authors' WRN releases record raw255 themselves)`)
    .option('--allow-unused', 'for a state_dict: convert even when some of its tensors match no graph parameter (they are listed)')
    .option('--include-convtranspose', 'also binarize ConvTranspose weights')
    .option('--allow-none', 'write the model unchanged instead of failing when no weight is binarized')
    .option('--opset <n>', 'ONNX opset of the generated graph for .mat inputs (7–17)', '13')
    .option('--quiet', 'print nothing on success (warnings still go to stderr)');
  addReaderLimitOptions(command)
    .action(async (input: string, opts: ConvertFlags) => {
      // The output's extension picks the format written; any other extension would be a lie about its content.
      if (!/\.(onnx|onebit)$/.test(opts.output)) throw new UsageError(`-o ${opts.output} must end in .onnx (an ONNX model) or .onebit (the bit-packed container): the extension says which format is written.`);
      if (opts.weights !== 'packed' && opts.weights !== 'float') throw new UsageError(`--weights must be 'packed' or 'float', not '${opts.weights}'.`);
      const opset = Number(opts.opset);
      if (!Number.isInteger(opset) || opset < 7 || opset > 17) throw new UsageError(`--opset must be an integer from 7 to 17, not '${opts.opset}'.`);
      const scale = parseScaleRule(opts.scale);
      if (opts.preprocess !== undefined) getPreprocess(opts.preprocess);
      const limits = readerLimits(opts);
      const t0 = performance.now();
      const bytes = readInput(input);
      const options: ConvertOptions = {
        to: opts.output.endsWith('.onebit') ? 'onebit' : 'onnx',
        weights: opts.weights,
        fileName: basename(input),
        opset,
        scale,
        policy: { keepFirst: !!opts.keepFirst, keepLast: !!opts.keepLast, keep: opts.keep, binarize: opts.binarize },
        includeGemm: !!opts.includeGemm,
        allowUnused: !!opts.allowUnused,
        ...(opts.preprocess !== undefined ? { preprocess: opts.preprocess } : {}),
        includeConvTranspose: !!opts.includeConvtranspose,
        allowNone: !!opts.allowNone,
        ...(opts.graph ? { graph: readInput(opts.graph, 'graph'), graphFileName: basename(opts.graph) } : {}),
        readExternalFile: confinedReader(dirname(resolve(opts.graph ?? input))),
        limits,
      };
      const result = await convert(bytes, options);
      writeFileAtomic(opts.output, result.bytes, [input, ...(opts.graph ? [opts.graph] : [])]);
      if (!opts.quiet) {
        for (const line of [...formatSummary(result.summary), ...result.report.lines]) console.log(line);
        console.log(`wrote        ${opts.output} in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
      }
      for (const warning of result.report.warnings) console.error(`WARNING      ${warning}`);
    });
}
