/**
 * Loads the data of initializers stored outside the .onnx file (data_location EXTERNAL): each
 * reference names a file relative to the model's folder, a byte offset and an optional length.
 * The caller supplies the file reader, so this module stays free of node: imports.
 */
import { DTYPE_BYTES, FormatError, SecurityError, type Tensor, TensorBudget, elementCount, formatDims, readElementsLE } from '@onebit/core';
import type { OnnxGraph, OnnxInitializer, OnnxModel } from './model.js';

/** Reads a whole file named relative to the model's folder. */
export type ReadExternalFile = (location: string) => Uint8Array | Promise<Uint8Array>;

export interface ResolveExternalDataOptions {
  /**
   * Most bytes all loaded external tensors may take together, charged before each is copied out of
   * its file (many references can name the same bytes); default DEFAULT_MAX_EXTERNAL_BYTES (4 GiB).
   */
  maxTensorBytes?: number;
}

/** 4 GiB: external data exists for models past protobuf's 2 GiB, so the default leaves room above it. */
export const DEFAULT_MAX_EXTERNAL_BYTES = 4 * 1024 ** 3;

/**
 * A copy of `model` with every external initializer (also in subgraphs) loaded and its reference
 * removed. Throws SecurityError for a location leaving the folder, FormatError for a wrong length or
 * range, LimitError past `options.maxTensorBytes`.
 */
export async function resolveExternalData(model: OnnxModel, readFile: ReadExternalFile, options: ResolveExternalDataOptions = {}): Promise<OnnxModel> {
  const budget = new TensorBudget(options.maxTensorBytes ?? DEFAULT_MAX_EXTERNAL_BYTES);
  const files = new Map<string, Promise<Uint8Array>>();
  const read = (location: string): Promise<Uint8Array> => {
    let file = files.get(location);
    if (!file) files.set(location, (file = Promise.resolve(readFile(location))));
    return file;
  };
  return { ...model, graph: await resolveGraph(model.graph, read, budget) };
}

async function resolveGraph(g: OnnxGraph, read: (location: string) => Promise<Uint8Array>, budget: TensorBudget): Promise<OnnxGraph> {
  const initializers = await Promise.all(g.initializers.map((init) => resolveInitializer(init, read, budget)));
  const nodes = await Promise.all(g.nodes.map(async (n) => {
    const attributes = { ...n.attributes };
    for (const [key, a] of Object.entries(attributes)) {
      if (a.type === 'graph') attributes[key] = { type: 'graph', value: await resolveGraph(a.value, read, budget) };
      else if (a.type === 'graphs') attributes[key] = { type: 'graphs', value: await Promise.all(a.value.map((sub) => resolveGraph(sub, read, budget))) };
      else if (a.type === 'tensor') attributes[key] = { type: 'tensor', value: await resolveInitializer(a.value, read, budget) };
    }
    return { ...n, attributes };
  }));
  return { ...g, initializers, nodes };
}

async function resolveInitializer(init: OnnxInitializer, read: (location: string) => Promise<Uint8Array>, budget: TensorBudget): Promise<OnnxInitializer> {
  const ref = init.externalData;
  if (!ref) return init;
  const { location, offset } = ref;
  if (location.startsWith('/') || location.includes('\\') || /^[a-zA-Z]:/.test(location) || location.split('/').includes('..')) {
    throw new SecurityError(`ONNX: external data location "${location}" of tensor "${init.name}" leaves the model's folder.`);
  }
  const { dtype, dims } = init.tensor;
  const needed = elementCount(dims) * DTYPE_BYTES[dtype];
  const file = await read(location);
  const length = ref.length ?? file.length - offset;
  if (length !== needed) {
    throw new FormatError('ONNX', `external data of tensor "${init.name}" is ${length} bytes but its ${dtype} shape [${dims.join(', ')}] needs ${needed}.`);
  }
  if (offset + needed > file.length) {
    throw new FormatError('ONNX', `external data of tensor "${init.name}" (bytes ${offset}..${offset + needed}) runs past the end of "${location}" (${file.length} bytes).`, offset);
  }
  budget.charge('ONNX', `external data of tensor "${init.name}" of shape ${formatDims(dims)} (${dtype})`, needed);
  const tensor = { dtype, dims: [...dims], data: readElementsLE(dtype, file, offset, elementCount(dims)) } as Tensor;
  return { name: init.name, tensor };
}
