/**
 * `onebit convert <input> -o <out.onnx>`: converts a checkpoint to a 1-bit ONNX model — the authors'
 * WRN releases (.mat), an ONNX model, or a PyTorch/safetensors state_dict applied onto the ONNX
 * graph exported from the same model (--graph) — and prints what happened to every weight.
 */
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '@onebit/core';
import type { Container } from '@onebit/container';
import { containerToOnnx, convertGraphModel, convertToContainer, detectFormat, formatSummary, graphResultToContainer, isOnebitWrnOnnx, type ConversionResult, type GraphConversionResult } from '@onebit/convert';
import { decodeModel } from '@onebit/onnx';
import { formatBinarizationReport, formatStateDictMatch, parseScaleRule, type LayerPolicy } from '@onebit/onnx-binarize';
import { getPreprocess, preprocessNames } from '@onebit/validate';
import { writeFileAtomic } from '../atomic-write.js';
import { confinedReader } from '@onebit/onnx/confined-reader';
import { readInput } from '../read-input.js';

interface ConvertFlags {
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
  program
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
        'With -o <file>.onebit the result is the bit-packed container (the authors\' WRNs, from .mat, from ' +
        'onebit\'s ONNX of them, or from another .onebit); a .onebit input converts back to ONNX bit-exactly.',
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
    .option('--quiet', 'print nothing on success (warnings still go to stderr)')
    .action(async (input: string, opts: ConvertFlags) => {
      // The output's extension picks the format written; any other extension would be a lie about its content.
      if (!/\.(onnx|onebit)$/.test(opts.output)) throw new UsageError(`-o ${opts.output} must end in .onnx (an ONNX model) or .onebit (the bit-packed container): the extension says which format is written.`);
      if (opts.weights !== 'packed' && opts.weights !== 'float') throw new RangeError(`--weights must be 'packed' or 'float', not '${opts.weights}'.`);
      const opset = Number(opts.opset);
      if (!Number.isInteger(opset) || opset < 7 || opset > 17) throw new RangeError(`--opset must be an integer from 7 to 17, not '${opts.opset}'.`);
      const scale = parseScaleRule(opts.scale);
      const policy: LayerPolicy = { keepFirst: !!opts.keepFirst, keepLast: !!opts.keepLast, keep: opts.keep, binarize: opts.binarize };
      const t0 = performance.now();
      const bytes = readInput(input);
      const fileName = basename(input);
      const format = detectFormat(bytes, fileName);
      if (opts.preprocess !== undefined) getPreprocess(opts.preprocess);
      const graphFlags = opts.graph || opts.allowUnused || opts.keepFirst || opts.keepLast || opts.keep.length || opts.binarize.length || opts.includeGemm || opts.includeConvtranspose || opts.allowNone || opts.scale !== 'he';
      const holdsWrn = format === 'mat' || format === 'onebit' || (format === 'onnx' && isOnebitWrnOnnx(decodeModel(bytes, fileName)));
      if (holdsWrn && opts.preprocess !== undefined && opts.preprocess !== 'raw255') throw new UsageError(`The authors' WRN releases take raw255 pixels (recorded in the output), not --preprocess ${opts.preprocess}.`);
      if (holdsWrn && graphFlags) throw new RangeError('--graph, --allow-unused, --scale, --keep*, --binarize, --include-gemm, --include-convtranspose and --allow-none apply to ONNX and state_dict inputs, not to the authors\' WRN releases.');
      const graphOptions = {
        fileName,
        scale,
        policy,
        includeGemm: !!opts.includeGemm,
        allowUnused: !!opts.allowUnused,
        ...(opts.preprocess !== undefined ? { preprocess: opts.preprocess } : {}),
        includeConvTranspose: !!opts.includeConvtranspose,
        allowNone: !!opts.allowNone,
        ...(opts.graph ? { graph: readInput(opts.graph, 'graph'), graphFileName: basename(opts.graph), readExternalFile: confinedReader(dirname(resolve(opts.graph))) } : { readExternalFile: confinedReader(dirname(resolve(input))) }),
      };
      if (opts.output.endsWith('.onebit')) {
        let out: { bytes: Uint8Array; container: Container; what: string };
        let report: GraphConversionResult | undefined;
        if (holdsWrn) {
          const c = convertToContainer(bytes, fileName);
          out = { ...c, what: c.network.family };
        } else {
          report = await convertGraphModel(bytes, { ...graphOptions, weights: 'packed' });
          out = { ...graphResultToContainer(report, fileName), what: 'ONNX graph with binary weights' };
        }
        writeFileAtomic(opts.output, out.bytes, [input, ...(opts.graph ? [opts.graph] : [])]);
        if (!opts.quiet) {
          const binary = out.container.tensors.filter((t) => t.role === 'binary-weight');
          const weights = binary.reduce((n, t) => n + (t.role === 'binary-weight' ? t.weight.dims.reduce((a, b) => a * b, 1) : 0), 0);
          if (report?.stateDict) for (const line of formatStateDictMatch(report.stateDict)) console.log(line);
          if (report) for (const line of formatBinarizationReport(report.binarization).filter((l) => !l.startsWith('WARNING'))) console.log(line);
          console.log(`input        ${fileName} → ${out.what}`);
          console.log(`tensors      ${binary.length} binary (${weights.toLocaleString('en-US')} weights), ${out.container.tensors.length - binary.length} float${out.container.graph ? `, graph ${out.container.graph.length.toLocaleString('en-US')} bytes` : ''}`);
          console.log(`size         ${out.bytes.length.toLocaleString('en-US')} bytes; 1-bit floor ${Math.ceil(weights / 8).toLocaleString('en-US')} bytes; ${((out.bytes.length * 8) / weights).toFixed(3)} bits/weight`);
          console.log(`wrote        ${opts.output} in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
        }
        if (report?.binarization.warning) console.error(`WARNING      ${report.binarization.warning.message}`);
        return;
      }
      let result: ConversionResult;
      if (holdsWrn) {
        result = containerToOnnx(bytes, { fileName, weights: opts.weights, opset });
      } else {
        result = await convertGraphModel(bytes, { ...graphOptions, weights: opts.weights });
      }
      writeFileAtomic(opts.output, result.bytes, [input, ...(opts.graph ? [opts.graph] : [])]);
      if (!opts.quiet) {
        for (const line of formatSummary(result.summary)) console.log(line);
        if (result.stateDict) for (const line of formatStateDictMatch(result.stateDict)) console.log(line);
        if (result.binarization) for (const line of formatBinarizationReport(result.binarization).filter((l) => !l.startsWith('WARNING'))) console.log(line);
        console.log(`wrote        ${opts.output} in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
      }
      if (result.binarization?.warning) console.error(`WARNING      ${result.binarization.warning.message}`);
    });
}
