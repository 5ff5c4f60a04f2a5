/**
 * Loads the data of initializers stored outside the .onnx file (data_location EXTERNAL): each
 * reference names a file relative to the model's folder, a byte offset and an optional length.
 * The caller supplies the file reader, so this module stays free of node: imports.
 */
import { DTYPE_BYTES, FormatError, SecurityError, type Tensor, elementCount, readElementsLE } from '@onebit/core';
import type { OnnxGraph, OnnxInitializer, OnnxModel } from './model.js';

/** Reads a whole file named relative to the model's folder. */
export type ReadExternalFile = (location: string) => Uint8Array | Promise<Uint8Array>;

/** A copy of `model` with every external initializer (also in subgraphs) loaded and its reference removed. */
export async function resolveExternalData(model: OnnxModel, readFile: ReadExternalFile): Promise<OnnxModel> {
  const files = new Map<string, Promise<Uint8Array>>();
  const read = (location: string): Promise<Uint8Array> => {
    let file = files.get(location);
    if (!file) files.set(location, (file = Promise.resolve(readFile(location))));
    return file;
  };
  return { ...model, graph: await resolveGraph(model.graph, read) };
}

async function resolveGraph(g: OnnxGraph, read: (location: string) => Promise<Uint8Array>): Promise<OnnxGraph> {
  const initializers = await Promise.all(g.initializers.map((init) => resolveInitializer(init, read)));
  const nodes = await Promise.all(g.nodes.map(async (n) => {
    const attributes = { ...n.attributes };
    for (const [key, a] of Object.entries(attributes)) {
      if (a.type === 'graph') attributes[key] = { type: 'graph', value: await resolveGraph(a.value, read) };
      else if (a.type === 'graphs') attributes[key] = { type: 'graphs', value: await Promise.all(a.value.map((sub) => resolveGraph(sub, read))) };
      else if (a.type === 'tensor') attributes[key] = { type: 'tensor', value: await resolveInitializer(a.value, read) };
    }
    return { ...n, attributes };
  }));
  return { ...g, initializers, nodes };
}

async function resolveInitializer(init: OnnxInitializer, read: (location: string) => Promise<Uint8Array>): Promise<OnnxInitializer> {
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
  const tensor = { dtype, dims: [...dims], data: readElementsLE(dtype, file, offset, elementCount(dims)) } as Tensor;
  return { name: init.name, tensor };
}
