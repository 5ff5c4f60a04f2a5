/**
 * `onebit inspect <file>`: says what a file is and what it holds; with --sizes, an honest size
 * report for any model onebit converts: per layer and in total, bits and bytes on disk, gzip and brotli
 * download bytes, float32 bytes in memory after decoding, and the ratio to the 1-bit floor — for
 * the .onebit container and, side by side, the packed and the float ONNX of the same model.
 */
import { readInput } from '@onebit/data';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { UsageError, type ReaderLimits } from '@onebit/core';
import { formatSizeReport, sizeReport } from '@onebit/container';
import { inspectModel, modelForms } from '@onebit/convert';
import { compressedSizes, COMPRESSION_LABEL, SAMPLE_EVERY, type DownloadSizes } from '../compressed-sizes.js';
import { addReaderLimitOptions, readerLimits, type ReaderLimitFlags } from '../reader-limit-flags.js';

export function registerInspect(program: Command): void {
  const command = program
    .command('inspect')
    .summary('show what a model file is and what it holds')
    .description(
      'Detect the format of a model file and list what it holds: variables or tensors with dtype, shape and ' +
        'bytes, which are already binary or would be binarized (with their distance from ±a), checkpoint ' +
        "metadata such as epoch and best_prec1, and for the authors' WRN releases the network read from it. " +
        'With --sizes: a per-layer size table of the .onebit container and the download size of ' +
        `the container, the packed ONNX and the float ONNX (${COMPRESSION_LABEL}; a file over 16 MiB, such as a big ` +
        'float ONNX, is estimated from a sample of its 1 MiB chunks with a 95 % bound, and marked ≈, unless --exact).',
    )
    .argument('<file>', 'model file (.onnx, .mat, .pt/.pth/.th, .safetensors, .onebit)')
    .option('--sizes', 'print the size report (any model convert reads without extra flags)')
    .option('--exact', 'with --sizes: compress every file whole instead of estimating those over 16 MiB (slower: ~5 s of CPU more for a 107 MB float ONNX)')
    .option('--json', 'print the description or size report as JSON');
  addReaderLimitOptions(command)
    .action(async (file: string, opts: { json?: boolean; sizes?: boolean; exact?: boolean } & ReaderLimitFlags) => {
      if (opts.exact && !opts.sizes) throw new UsageError('--exact applies to --sizes only; add --sizes or drop --exact.');
      const limits = readerLimits(opts);
      const bytes = readInput(file);
      if (opts.sizes) {
        await printSizes(bytes, basename(file), !!opts.json, !!opts.exact, limits);
        return;
      }
      const info = inspectModel(bytes, basename(file), { limits });
      if (opts.json) console.log(JSON.stringify(info, null, 2));
      else for (const line of info.lines) console.log(line);
    });
}

async function printSizes(bytes: Uint8Array, fileName: string, json: boolean, exact: boolean, limits: ReaderLimits): Promise<void> {
  console.error(`converting to each form and compressing every layer and file (${COMPRESSION_LABEL}${exact ? ', every file whole' : ''}) …`);
  // Each form's compression starts on the thread pool as soon as the form exists, beside the building of the next.
  const formCompressed: Promise<DownloadSizes>[] = [];
  const { family, container: onebit, files: forms } = modelForms(bytes, fileName, { limits, onForm: (form) => formCompressed.push(compressedSizes(form.bytes, { exact })) });
  // Layers are always compressed whole: the per-layer table is measured.
  const layerSizes = Promise.all(
    onebit.tensors.map(async (t) => [t.name, await compressedSizes(t.role === 'binary-weight' ? t.weight.bits : new Uint8Array(t.tensor.data.buffer, t.tensor.data.byteOffset, t.tensor.data.byteLength), { exact: true })] as const),
  );
  const [layerCompressed, formSizes] = await Promise.all([layerSizes.then((entries) => new Map(entries)), Promise.all(formCompressed)]);
  const report = sizeReport(onebit.tensors, { fileBytes: forms[0]!.bytes.length, compressed: formSizes[0]!, layerCompressed });
  const weights = report.total.binaryWeights;
  const floor = Math.ceil(weights / 8);
  const files = forms.map(({ file, bytes: b }, i) => ({ file, bytes: b.length, ...formSizes[i]!, ratioToFloor: b.length / floor }));
  if (json) {
    console.log(JSON.stringify({ model: fileName, family, compression: `${COMPRESSION_LABEL}; a file with an "estimate" was sampled, the rest compressed whole`, oneBitFloorBytes: floor, container: report, files }, null, 2));
    return;
  }
  console.log(`${fileName}: ${family}, ${weights.toLocaleString('en-US')} binary weights; 1-bit floor ${floor.toLocaleString('en-US')} bytes`);
  console.log('');
  console.log(`.onebit container, per layer (measured with ${COMPRESSION_LABEL}; float32 bytes = size in memory after decoding):`);
  console.log(formatSizeReport(report));
  console.log('');
  const estimated = files.filter((f) => f.estimate);
  console.log(`download size of the same model in each form (${COMPRESSION_LABEL}; ${estimated.length === 0 ? 'all measured' : '≈ estimated, the rest measured'}):`);
  const head = ['file', 'bytes on disk', 'gzip', 'brotli', '× 1-bit floor (disk)', '× floor (gzip)'];
  const approx = (f: (typeof files)[0], text: string) => (f.estimate ? `≈${text}` : text);
  const rows = files.map((f) => [
    f.file,
    f.bytes.toLocaleString('en-US'),
    approx(f, f.gzip.toLocaleString('en-US')),
    approx(f, f.brotli.toLocaleString('en-US')),
    (f.bytes / floor).toFixed(3),
    approx(f, (f.gzip / floor).toFixed(3)),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows]) console.log(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  for (const f of estimated) {
    const e = f.estimate!;
    console.log(
      `≈ ${f.file}: estimated from ${e.chunksSampled} of its ${e.chunks} ${e.chunkBytes / 2 ** 20} MiB chunks (the first, the last two and every ${SAMPLE_EVERY}th ` +
        `between, each compressed as inside the whole stream), 95 % bound ±${(100 * e.gzipError95).toFixed(1)} % gzip, ±${(100 * e.brotliError95).toFixed(1)} % brotli; --exact compresses it whole.`,
    );
  }
  const [container, packed, float] = files as [(typeof files)[0], (typeof files)[0], (typeof files)[0]];
  const about = (f: (typeof files)[0]) => (f.estimate ? 'about ' : '');
  console.log(
    `gzip shrinks the float ONNX ${about(float)}${(float.bytes / float.gzip).toFixed(1)}× (each weight is one of two float values), yet it still downloads ` +
      `${about(float)}${(float.gzip / packed.gzip).toFixed(2)}× the gzipped packed ONNX; the trained sign bits themselves compress by ${about(container)}${(100 * (1 - container.gzip / container.bytes)).toFixed(1)} %.`,
  );
}
