/**
 * The one entry point of conversion: convert(input, { to: 'onnx' | 'onebit', … }) detects the
 * input's format, lets the first importer that accepts it (./importers) read it into a BinaryGraph,
 * and exports that graph as packed ONNX (1 bit per weight + a decode subgraph onnxruntime folds at
 * load), float ONNX (±scale float32) or the .onebit container. Returns the bytes, a summary and a
 * report of what happened to each weight. Apps call this and only move bytes and print.
 */
import { writeContainer } from '@onebit/container';
import { UnsupportedError, WrongFileError, type ReaderLimits, UsageError } from '@onebit/core';
import { binaryGraphToOnnx, decodeModel, type BinaryGraph, encodeModel, resolveExternalData, type OnnxModel, type ReadExternalFile } from '@onebit/onnx';
import { formatBinarizationReport, formatStateDictMatch, type BinarizationReport, type StateDictMatch } from '@onebit/onnx-binarize';
import { readMat, type MatFile } from '@onebit/mat';
import { detectFormat, FORMAT_NAMES, type ModelFormat } from './detect-format.js';
import { IMPORTERS, type ImportedModel, type ImportInput, type ImportOptions } from './importers/index.js';
import { graphToContainer } from './onebit-container.js';
import { PREPROCESS_KEY, summarize, type ConversionSummary } from './summary.js';

export interface ConvertOptions extends ImportOptions {
  /** 'onnx' (default) or the 'onebit' container. */
  readonly to?: 'onnx' | 'onebit';
  /** ONNX output: 'packed' (default, 1 bit per weight) or 'float' (±scale float32). */
  readonly weights?: 'packed' | 'float';
  /** The input's file name, for messages. */
  readonly fileName?: string;
  /** State_dict inputs: the ONNX graph exported from the same model. */
  readonly graph?: Uint8Array;
  readonly graphFileName?: string;
  /**
   * The input preprocessing the model was trained with, a preset name of @onebit/validate
   * ('raw255', 'cifar-torchvision', 'cifar-wrn', 'imagenet', …): recorded in the output's
   * `onebit.preprocess` metadata so validation never guesses. A model that already records another
   * one (the authors' releases record raw255) is an error.
   */
  readonly preprocess?: string;
  /** convert() only: reads external-data files next to the input ONNX model (or next to `graph`). */
  readonly readExternalFile?: ReadExternalFile;
  /**
   * Raised reader limits for trusted large files, passed to every reader the input (and `graph`)
   * goes through: MAT, ONNX (external data included), PyTorch zip/legacy and safetensors. Omitted
   * fields keep each reader's documented default.
   */
  readonly limits?: ReaderLimits;
}

/** What happened to the weights: the lines to print and warnings (e.g. not trained for 1 bit). */
export interface ConversionReport {
  readonly binarization?: BinarizationReport;
  readonly stateDict?: StateDictMatch;
  readonly lines: readonly string[];
  readonly warnings: readonly string[];
}

export interface ConvertResult {
  readonly bytes: Uint8Array;
  readonly summary: ConversionSummary;
  readonly report: ConversionReport;
  /** The model representation the output was written from. */
  readonly graph: ImportedModel['graph'];
  /** ONNX output: the model that was encoded. */
  readonly model?: OnnxModel;
}

/** Converts `input`; external-data ONNX files are loaded through options.readExternalFile. */
export async function convert(input: Uint8Array, options: ConvertOptions = {}): Promise<ConvertResult> {
  const fileName = options.fileName ?? 'the file';
  const format = detectFormat(input, fileName);
  const limits = options.limits ?? {};
  const load = async (b: Uint8Array, name: string): Promise<OnnxModel> => {
    const m = decodeModel(b, name, tensorLimit(limits));
    if (!hasExternal(m)) return m;
    if (!options.readExternalFile) throw new UnsupportedError(`${name} keeps tensors in external data files but no file reader was given to load them.`);
    return resolveExternalData(m, options.readExternalFile, tensorLimit(limits));
  };
  const graphName = options.graphFileName ?? 'the graph';
  return convertDecoded(input, format, {
    ...(format === 'onnx' ? { onnx: await load(input, fileName) } : {}),
    ...(format === 'mat' ? { mat: readMat(input, limits) } : {}),
    ...(options.graph ? { graph: await load(checkGraph(options.graph, graphName), graphName) } : {}),
  }, options);
}

/** The same, synchronously, for inputs without external data. */
export function convertSync(input: Uint8Array, options: ConvertOptions = {}): ConvertResult {
  const fileName = options.fileName ?? 'the file';
  const format = detectFormat(input, fileName);
  const limits = options.limits ?? {};
  const decode = (b: Uint8Array, name: string): OnnxModel => {
    const m = decodeModel(b, name, tensorLimit(limits));
    if (hasExternal(m)) throw new UnsupportedError(`${name} keeps tensors in external data files; convert it with convert() and a file reader (the CLI does).`);
    return m;
  };
  const graphName = options.graphFileName ?? 'the graph';
  return convertDecoded(input, format, {
    ...(format === 'onnx' ? { onnx: decode(input, fileName) } : {}),
    ...(format === 'mat' ? { mat: readMat(input, limits) } : {}),
    ...(options.graph ? { graph: decode(checkGraph(options.graph, graphName), graphName) } : {}),
  }, options);
}

/** The ONNX readers' option: only maxTensorBytes applies to them (ONNX has no compressed parts). */
const tensorLimit = (limits: ReaderLimits): { maxTensorBytes?: number } => (limits.maxTensorBytes !== undefined ? { maxTensorBytes: limits.maxTensorBytes } : {});

const hasExternal = (m: OnnxModel): boolean => m.graph.initializers.some((i) => i.externalData !== undefined);

function checkGraph(graph: Uint8Array, name: string): Uint8Array {
  const f = detectFormat(graph, name);
  if (f !== 'onnx') throw new WrongFileError(`The graph ${name} is a ${FORMAT_NAMES[f]}, not an ONNX model.`);
  return graph;
}

/** Flags an importer does not use, as the CLI spells them. */
const OPTION_FLAGS: Record<keyof ImportOptions | 'graph', string> = { opset: '--opset', scale: '--scale', policy: '--keep/--binarize', includeGemm: '--include-gemm', includeConvTranspose: '--include-convtranspose', allowNone: '--allow-none', allowUnused: '--allow-unused', graph: '--graph' };

/** `graph` with `preprocess` in its `onebit.preprocess` metadata; refuses to overwrite a different recorded one. */
function recordPreprocess(graph: BinaryGraph, preprocess: string, fileName: string): BinaryGraph {
  const recorded = graph.model.metadata[PREPROCESS_KEY];
  if (recorded !== undefined && recorded !== preprocess) {
    throw new UsageError(`${fileName} already records preprocessing '${recorded}' in its ${PREPROCESS_KEY} metadata, not '${preprocess}'; leave out --preprocess to keep it.`);
  }
  return { ...graph, model: { ...graph.model, metadata: { ...graph.model.metadata, [PREPROCESS_KEY]: preprocess } } };
}

function convertDecoded(bytes: Uint8Array, format: ModelFormat, decoded: { onnx?: OnnxModel; graph?: OnnxModel; mat?: MatFile }, options: ConvertOptions): ConvertResult {
  const fileName = options.fileName ?? 'the file';
  const to = options.to ?? 'onnx';
  if (to !== 'onnx' && to !== 'onebit') throw new UsageError(`The output must be 'onnx' or 'onebit', not '${String(to)}'.`);
  const weights = options.weights ?? 'packed';
  if (weights !== 'packed' && weights !== 'float') throw new UsageError(`--weights must be 'packed' or 'float', not '${String(weights)}'.`);
  const importOptions: ImportOptions = {
    ...(options.opset !== undefined ? { opset: options.opset } : {}),
    ...(options.scale !== undefined ? { scale: options.scale } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.includeGemm ? { includeGemm: true } : {}),
    ...(options.includeConvTranspose ? { includeConvTranspose: true } : {}),
    ...(options.allowNone ? { allowNone: true } : {}),
    ...(options.allowUnused ? { allowUnused: true } : {}),
  };
  const input: ImportInput = { bytes, format, fileName, ...decoded, ...(options.graphFileName ? { graphFileName: options.graphFileName } : {}), ...(options.limits ? { limits: options.limits } : {}), options: importOptions };
  const importer = IMPORTERS.find((i) => i.accepts(input));
  if (!importer) throw new UnsupportedError(`${fileName} is a ${FORMAT_NAMES[format]}, which no onebit importer reads.`);
  const given = [...(Object.keys(importOptions) as (keyof ImportOptions)[]).filter((k) => !isDefault(k, importOptions)), ...(decoded.graph ? (['graph'] as const) : [])];
  const unused = given.filter((k) => !importer.uses.includes(k));
  if (unused.length) throw new UsageError(`${unused.map((k) => OPTION_FLAGS[k]).join(', ')} ${unused.length === 1 ? 'does' : 'do'} not apply to ${importer.name} (${fileName}).`);
  const read = importer.read(input);
  const imported = options.preprocess === undefined ? read : { ...read, graph: recordPreprocess(read.graph, options.preprocess, fileName) };

  let out: Uint8Array;
  let model: OnnxModel | undefined;
  if (to === 'onebit') {
    out = writeContainer(graphToContainer(imported.graph));
  } else {
    model = binaryGraphToOnnx(imported.graph, weights);
    out = encodeModel(model);
  }
  const family = imported.stateDict ? 'state_dict on an ONNX graph' : 'ONNX graph';
  const base = summarize(imported.graph, FORMAT_NAMES[format], to === 'onebit' ? 'onebit' : weights, out.length, family);
  const extra = imported.summary;
  const summary = { ...base, ...(extra?.family ? { family: extra.family } : {}), ...(extra?.notes ? { notes: extra.notes } : {}), ...(extra?.remarks ? { remarks: extra.remarks } : {}) };
  // How the weights end up stored is the exporter's choice, not the importer's.
  const binarization = imported.binarization && { ...imported.binarization, weights: to === 'onebit' ? ('packed' as const) : weights };
  const lines = [
    ...(imported.stateDict ? formatStateDictMatch(imported.stateDict) : []),
    ...(binarization ? formatBinarizationReport(binarization).filter((l) => !l.startsWith('WARNING')) : []),
  ];
  const report: ConversionReport = {
    ...(binarization ? { binarization } : {}),
    ...(imported.stateDict ? { stateDict: imported.stateDict } : {}),
    lines,
    warnings: binarization?.warning ? [binarization.warning.message] : [],
  };
  return { bytes: out, summary, report, graph: imported.graph, ...(model ? { model } : {}) };
}

/** Options left at their defaults count as not given (the CLI always passes a scale rule). */
function isDefault(k: keyof ImportOptions, o: ImportOptions): boolean {
  if (k === 'scale') return o.scale === 'he';
  if (k === 'policy') return !o.policy || (!o.policy.keepFirst && !o.policy.keepLast && !o.policy.keep?.length && !o.policy.binarize?.length);
  if (k === 'opset') return o.opset === 13;
  return false;
}
