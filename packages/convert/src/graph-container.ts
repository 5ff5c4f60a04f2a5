/**
 * Stores any ONNX graph with binary weights in the .onebit container and reads it back. The
 * container's `graph` section holds the ONNX model with the binary weights' initializers removed
 * (the skeleton: every other node and tensor as it was); its tensors are those binary weights
 * (sign bits + scale). Back to ONNX, each weight is put in again, packed (1 bit + decode subgraph)
 * or as ±scale floats, exactly where replaceWithBinaryWeights puts it for a direct conversion.
 */
import { expandBinaryWeight } from '@onebit/binarize';
import type { BinaryWeight } from '@onebit/bits';
import type { Container, ContainerTensor } from '@onebit/container';
import { ModelError, tensor } from '@onebit/core';
import { decodeModel, encodeModel, replaceWithBinaryWeights, type OnnxModel } from '@onebit/onnx';

export const GRAPH_CONTAINER_KIND = 'onebit-onnx-graph';

export function graphToContainer(source: OnnxModel, weights: ReadonlyMap<string, BinaryWeight>, description: Record<string, unknown> = {}): Container {
  const skeleton: OnnxModel = { ...source, graph: { ...source.graph, initializers: source.graph.initializers.filter((i) => !weights.has(i.name)) } };
  const tensors: ContainerTensor[] = [...weights].map(([name, weight]) => ({ name, role: 'binary-weight', weight }));
  // The initializers' original order, so the ONNX read back lists them exactly as a direct conversion does.
  const order = source.graph.initializers.map((i) => i.name);
  return { model: { kind: GRAPH_CONTAINER_KIND, ...description, initializerOrder: order }, graph: encodeModel(skeleton), tensors };
}

export function isGraphContainer(c: Container): boolean {
  return c.model['kind'] === GRAPH_CONTAINER_KIND;
}

export function containerToGraph(c: Container, mode: 'packed' | 'float'): OnnxModel {
  if (!isGraphContainer(c) || !c.graph) throw new ModelError(`The container is not a ${GRAPH_CONTAINER_KIND} container with a graph section (kind ${JSON.stringify(c.model['kind'])}).`);
  const skeleton = decodeModel(c.graph, 'the container graph section');
  const weights = new Map<string, BinaryWeight>();
  for (const t of c.tensors) {
    if (t.role !== 'binary-weight') throw new ModelError(`Tensor '${t.name}' of a ${GRAPH_CONTAINER_KIND} container is not a binary weight.`, t.name);
    weights.set(t.name, t.weight);
  }
  const initializers = [...skeleton.graph.initializers];
  for (const [name, w] of weights) {
    if (initializers.some((i) => i.name === name)) throw new ModelError(`Binary weight '${name}' is also an initializer of the container's graph.`, name);
    // The ±scale floats stand in place of the weight; replaceWithBinaryWeights then stores it as asked.
    initializers.push({ name, tensor: tensor('float32', w.dims, expandBinaryWeight(w)) });
  }
  const order = c.model['initializerOrder'];
  if (Array.isArray(order)) {
    const rank = new Map(order.map((name, i) => [name, i]));
    initializers.sort((a, b) => (rank.get(a.name) ?? Infinity) - (rank.get(b.name) ?? Infinity));
  }
  return replaceWithBinaryWeights({ ...skeleton, graph: { ...skeleton.graph, initializers } }, weights, mode);
}
