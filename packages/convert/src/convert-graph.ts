/**
 * The ONNX side of `onebit convert`: an ONNX model, or a PyTorch/safetensors state_dict applied onto
 * the ONNX graph exported from the same model, is binarized by @onebit/onnx-binarize (layer policy,
 * scale rule, lossless packing of weights already ±a) and encoded as packed or float ONNX. External
 * data is loaded through a caller-supplied reader, so this module stays free of node: imports.
 */
import type { ScaleRule } from '@onebit/binarize';
import type { BinaryWeight } from '@onebit/bits';
import { ModelError, UnsupportedError, WrongFileError, type Tensor } from '@onebit/core';
import { applyStateDict, binarizeOnnxModel, type BinarizationReport, type LayerPolicy, type StateDictMatch } from '@onebit/onnx-binarize';
import { decodeModel, encodeModel, resolveExternalData, type OnnxModel, type ReadExternalFile } from '@onebit/onnx';
import { readSafetensors, readTorch } from '@onebit/pytorch';
import { detectFormat, FORMAT_NAMES, type ModelFormat } from './detect-format.js';
import { graphShapes, PREPROCESS_KEY, type ConversionSummary } from './summary.js';
import { convertBinaryWideResnet, isBinaryWideResnet } from './binary-wide-resnet.js';

export interface GraphConvertOptions {
  readonly fileName?: string;
  readonly weights?: 'packed' | 'float';
  /** Default 'he' (the paper's sqrt(2/fan_in)). */
  readonly scale?: ScaleRule;
  readonly policy?: LayerPolicy;
  /** Also binarize Gemm/MatMul weights. */
  readonly includeGemm?: boolean;
  /** Also binarize ConvTranspose weights. */
  readonly includeConvTranspose?: boolean;
  /** Write the model unchanged instead of failing when no weight is binarized. */
  readonly allowNone?: boolean;
  /** For a state_dict input: the ONNX graph exported from the same model. */
  readonly graph?: Uint8Array;
  readonly graphFileName?: string;
  /**
   * The input preprocessing the model was trained with, a preset name of @onebit/validate
   * ('raw255', 'cifar-torchvision', 'cifar-wrn', 'imagenet', …): recorded in the output's
   * `onebit.preprocess` metadata so validation never guesses. A source model that already records
   * another one is an error.
   */
  readonly preprocess?: string;
  /** For a state_dict input: accept state_dict tensors no graph parameter takes (default: refuse, naming them). */
  readonly allowUnused?: boolean;
  /** Reads external-data files next to the input ONNX model (or next to `graph`). */
  readonly readExternalFile?: ReadExternalFile;
}

export interface GraphConversionResult {
  readonly model: OnnxModel;
  readonly bytes: Uint8Array;
  readonly summary: ConversionSummary;
  readonly binarization: BinarizationReport;
  /** The model just before packing (state_dict applied, each binary weight a ±scale float32 initializer), and those weights. */
  readonly source: OnnxModel;
  readonly binaryWeights: ReadonlyMap<string, BinaryWeight>;
  /** Present for state_dict inputs. */
  readonly stateDict?: StateDictMatch;
}

const hasExternal = (m: OnnxModel): boolean => m.graph.initializers.some((i) => i.externalData !== undefined);

/** Converts ONNX / torch / safetensors bytes; loads external data with `readExternalFile`. */
export async function convertGraphModel(bytes: Uint8Array, options: GraphConvertOptions = {}): Promise<GraphConversionResult> {
  const format = detectFormat(bytes, options.fileName ?? 'the file');
  const load = async (b: Uint8Array, name: string): Promise<OnnxModel> => {
    const m = decodeModel(b, name);
    if (!hasExternal(m)) return m;
    if (!options.readExternalFile) throw new UnsupportedError(`${name} keeps tensors in external data files but no file reader was given to load them.`);
    return resolveExternalData(m, options.readExternalFile);
  };
  const fileName = options.fileName ?? 'the file';
  const onnx = format === 'onnx' ? await load(bytes, fileName) : options.graph ? await load(checkGraph(options.graph, options.graphFileName), options.graphFileName ?? 'the graph') : undefined;
  return convertGraphResolved(bytes, format, onnx, options);
}

/** The same, synchronously, for inputs without external data. */
export function convertGraphModelSync(bytes: Uint8Array, format: ModelFormat, options: GraphConvertOptions = {}): GraphConversionResult {
  const fileName = options.fileName ?? 'the file';
  const decode = (b: Uint8Array, name: string): OnnxModel => {
    const m = decodeModel(b, name);
    if (hasExternal(m)) throw new UnsupportedError(`${name} keeps tensors in external data files; convert it with convertGraphModel and a file reader (the CLI does).`);
    return m;
  };
  const onnx = format === 'onnx' ? decode(bytes, fileName) : options.graph ? decode(checkGraph(options.graph, options.graphFileName), options.graphFileName ?? 'the graph') : undefined;
  return convertGraphResolved(bytes, format, onnx, options);
}

function checkGraph(graph: Uint8Array, name = 'the graph'): Uint8Array {
  const f = detectFormat(graph, name);
  if (f !== 'onnx') throw new WrongFileError(`The graph ${name} is a ${FORMAT_NAMES[f]}, not an ONNX model.`);
  return graph;
}

function convertGraphResolved(bytes: Uint8Array, format: ModelFormat, onnx: OnnxModel | undefined, options: GraphConvertOptions): GraphConversionResult {
  const fileName = options.fileName ?? 'the file';
  let model: OnnxModel;
  let stateDict: StateDictMatch | undefined;
  if (format === 'onnx') {
    if (options.graph) throw new RangeError(`${fileName} is already an ONNX model; a graph is only used with a PyTorch or safetensors state_dict.`);
    model = onnx!;
  } else if (format === 'torch-zip' || format === 'torch-legacy' || format === 'safetensors') {
    const tensors: Map<string, Tensor> = format === 'safetensors' ? readSafetensors(bytes).tensors : readTorch(bytes, { name: fileName }).tensors;
    // A family onebit knows needs no graph: its importer builds the network from the state_dict.
    if (!onnx && isBinaryWideResnet(tensors.keys())) return convertBinaryWideResnet(tensors, FORMAT_NAMES[format], options);
    if (!onnx) {
      throw new UnsupportedError(`${fileName} is a ${FORMAT_NAMES[format]}, which holds weights but no graph; pass the ONNX graph exported from the same model (onebit convert ${fileName} --graph model.onnx).`);
    }
    if (tensors.size === 0) throw new ModelError(`${fileName} holds no tensors to apply onto the graph.`);
    const applied = applyStateDict(onnx, tensors, { allowUnused: options.allowUnused === true });
    model = applied.model;
    stateDict = applied.match;
  } else {
    throw new UnsupportedError(`${fileName} is a ${FORMAT_NAMES[format]}; it is not converted through an ONNX graph.`);
  }
  model = recordPreprocess(model, options.preprocess, fileName);
  const weights = options.weights ?? 'packed';
  const { model: out, report, binaryWeights, prepared } = binarizeOnnxModel(model, {
    weights,
    ...(options.scale !== undefined ? { scale: options.scale } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.includeGemm ? { includeGemm: true } : {}),
    ...(options.includeConvTranspose ? { includeConvTranspose: true } : {}),
    ...(options.allowNone ? { allowNone: true } : {}),
  });
  const encoded = encodeModel(out);
  return { model: out, bytes: encoded, summary: graphSummary(out, FORMAT_NAMES[format], stateDict ? 'state_dict on an ONNX graph' : 'ONNX graph', report, encoded.length), binarization: report, source: prepared, binaryWeights, ...(stateDict ? { stateDict } : {}) };
}

/** `model` with `preprocess` in its `onebit.preprocess` metadata; refuses to overwrite a different recorded one. */
function recordPreprocess(model: OnnxModel, preprocess: string | undefined, fileName: string): OnnxModel {
  if (preprocess === undefined) return model;
  const recorded = model.metadata[PREPROCESS_KEY];
  if (recorded !== undefined && recorded !== preprocess) {
    throw new RangeError(`${fileName} already records preprocessing '${recorded}' in its ${PREPROCESS_KEY} metadata, not '${preprocess}'; leave out --preprocess to keep it.`);
  }
  return { ...model, metadata: { ...model.metadata, [PREPROCESS_KEY]: preprocess } };
}

function graphSummary(m: OnnxModel, inputFormat: string, family: string, r: BinarizationReport, outputBytes: number): ConversionSummary {
  return {
    inputFormat,
    family,
    weights: r.weights,
    binaryLayers: r.binarized + r.alreadyBinary,
    binaryWeights: r.binaryWeights,
    ...graphShapes(m),
    preprocess: m.metadata[PREPROCESS_KEY] ?? 'not recorded (pass --preprocess)',
    outputBytes,
    bitsPerWeight: r.binaryWeights ? (outputBytes * 8) / r.binaryWeights : 0,
    oneBitFloorBytes: Math.ceil(r.binaryWeights / 8),
    notes: {},
  };
}
