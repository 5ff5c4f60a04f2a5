/**
 * The .onebit container as onebit fills it (FORMAT.md "The model in a container", version 2): the
 * `graph` section is the ONNX model's skeleton, deflated — every node, input, output and metadata
 * entry as they are — in which each initializer the container holds is an ONNX external-data
 * reference whose `location` names a container tensor: a binary weight's own bit section, or, for
 * float32 initializers (batch-norm vectors, biases, kept float weights), `onebit.float32`, one
 * shuffle-deflated float32 tensor holding them back to back (`offset`/`length` in bytes); a float32
 * initializer whose input wire form a rebuilt copy would not reproduce (e.g. unpacked dims, as
 * PyTorch's exporter writes them) stays whole in the skeleton instead. Reading
 * back gives the same BinaryGraph, so every export of it is byte-identical to a direct conversion.
 */
import type { BinaryWeight } from '@onebit/bits';
import type { Container, ContainerTensor } from '@onebit/container';
import { ModelError, tensor, UnsupportedError } from '@onebit/core';
import { decodeModel, encodeModel, hasCanonicalEncoding, type BinaryGraph, type OnnxInitializer } from '@onebit/onnx';

/** `model.kind` of a container written this way. */
export const ONNX_SKELETON_KIND = 'onnx-skeleton';
/** The container tensor that holds every float32 initializer of the graph, back to back. */
export const FLOAT32_POOL = 'onebit.float32';

/** The container holding `graph` (write it with writeContainer). */
export function graphToContainer(graph: BinaryGraph): Container {
  const g = graph.model.graph;
  const binary: ContainerTensor[] = [];
  const pooled: Float32Array[] = [];
  let poolBytes = 0;
  const initializers = g.initializers.map((init): OnnxInitializer => {
    const w = graph.weights.get(init.name);
    if (w) {
      binary.push({ name: init.name, role: 'binary-weight', weight: w });
      return { name: init.name, tensor: { dtype: 'float32', dims: [...w.dims], data: new Float32Array(0) }, externalData: { location: init.name, offset: 0 } };
    }
    const t = init.tensor;
    if (t.dtype !== 'float32' || t.data.length === 0 || init.externalData || !hasCanonicalEncoding(init)) return init;
    pooled.push(t.data);
    const ref = { location: FLOAT32_POOL, offset: poolBytes, length: t.data.length * 4 };
    poolBytes += ref.length;
    return { name: init.name, tensor: { ...t, data: new Float32Array(0) }, externalData: ref };
  });
  if (binary.length !== graph.weights.size) {
    const missing = [...graph.weights.keys()].find((name) => !g.initializers.some((i) => i.name === name))!;
    throw new ModelError(`Binary weight '${missing}' is not an initializer of the graph.`, missing);
  }
  const pool = new Float32Array(poolBytes / 4);
  pooled.reduce((at, v) => (pool.set(v, at), at + v.length), 0);
  const skeleton = encodeModel({ ...graph.model, graph: { ...g, initializers } });
  const floats: ContainerTensor[] = pool.length ? [{ name: FLOAT32_POOL, role: 'float', tensor: tensor('float32', [pool.length], pool), encoding: 'shuffle-deflate' }] : [];
  return { model: { kind: ONNX_SKELETON_KIND }, graph: skeleton, graphEncoding: 'deflate', tensors: [...binary, ...floats] };
}

/** The BinaryGraph stored in container `c`; a ModelError names anything that does not fit together. */
export function containerToGraph(c: Container): BinaryGraph {
  const kind = c.model['kind'];
  if (kind === 'onebit-wrn') {
    throw new UnsupportedError('This .onebit file is a version-1 WRN container, which this onebit no longer reads; convert the original .mat file again.');
  }
  if (kind !== ONNX_SKELETON_KIND || !c.graph) throw new ModelError(`The container's model kind is ${JSON.stringify(kind)} and it ${c.graph ? 'has' : 'has no'} graph section; onebit writes kind "${ONNX_SKELETON_KIND}" with a graph.`);
  const skeleton = decodeModel(c.graph, 'the container graph section');
  const tensors = new Map(c.tensors.map((t) => [t.name, t]));
  const pool = tensors.get(FLOAT32_POOL);
  if (pool && (pool.role !== 'float' || pool.tensor.dtype !== 'float32')) throw new ModelError(`Container tensor '${FLOAT32_POOL}' is not a float32 tensor.`, FLOAT32_POOL);
  const poolData = pool?.role === 'float' && pool.tensor.dtype === 'float32' ? pool.tensor.data : new Float32Array(0);
  const weights = new Map<string, BinaryWeight>();
  const used = new Set<string>();
  const initializers = skeleton.graph.initializers.map((init): OnnxInitializer => {
    const ref = init.externalData;
    if (!ref) return init;
    const t = tensors.get(ref.location);
    if (!t) throw new ModelError(`Initializer '${init.name}' refers to container tensor '${ref.location}', which the container does not hold.`, init.name);
    used.add(ref.location);
    if (t.role === 'binary-weight') {
      const dims = init.tensor.dims;
      if (init.tensor.dtype !== 'float32' || dims.length !== t.weight.dims.length || dims.some((d, i) => d !== t.weight.dims[i])) {
        throw new ModelError(`Initializer '${init.name}' is ${init.tensor.dtype} [${dims.join(', ')}] but binary weight '${t.name}' has shape [${t.weight.dims.join(', ')}].`, init.name);
      }
      weights.set(init.name, t.weight);
      return { name: init.name, tensor: init.tensor };
    }
    if (ref.location !== FLOAT32_POOL || init.tensor.dtype !== 'float32') throw new ModelError(`Initializer '${init.name}' refers to '${ref.location}', which is not a binary weight or the float32 pool.`, init.name);
    const n = init.tensor.dims.reduce((a, d) => a * d, 1);
    const length = ref.length ?? n * 4;
    if (ref.offset % 4 !== 0 || length !== n * 4 || ref.offset + length > poolData.length * 4) {
      throw new ModelError(`Initializer '${init.name}' needs ${n * 4} bytes at byte ${ref.offset} of '${FLOAT32_POOL}', which holds ${poolData.length * 4}.`, init.name);
    }
    return { name: init.name, tensor: tensor('float32', init.tensor.dims, poolData.slice(ref.offset / 4, ref.offset / 4 + n)) };
  });
  const unused = c.tensors.find((t) => !used.has(t.name));
  if (unused) throw new ModelError(`Container tensor '${unused.name}' belongs to no initializer of the graph.`, unused.name);
  return { model: { ...skeleton, graph: { ...skeleton.graph, initializers } }, weights };
}
