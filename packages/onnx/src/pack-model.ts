/**
 * Replaces named float32 initializers of an existing OnnxModel by binary weights and leaves every
 * other node, initializer and value untouched. 'float' swaps each tensor for its ±scale float32
 * values in place; 'packed' removes the initializer and emits, under the same value name, the
 * 1-bit storage and decode subgraph of addBinaryWeight (see ../PACKED.md): its nodes just before the
 * first node that reads the weight, its initializers where the float initializer was (so that
 * liftBinaryWeights can undo it exactly). A model whose metadata says `onebit.packing = stacked`
 * gets the stacked layout instead (stacked-binary-weights.ts): one chain for all weights, placed
 * before the first node that reads any of them, its initializers where the first weight was.
 */
import { ModelError, UnsupportedError, formatDims, type Tensor } from '@onebit/core';
import type { BinaryWeight } from '@onebit/bits';
import { addBinaryWeight, type BinaryWeightMode } from './emit-binary-weight.js';
import { GraphBuilder } from './graph-builder.js';
import { MAX_OPSET, MIN_OPSET } from './ir-version.js';
import type { OnnxGraph, OnnxInitializer, OnnxModel, OnnxNode } from './model.js';
import { addStackedBinaryWeights, PACKING_METADATA_KEY, STACKED_PACKING } from './stacked-binary-weights.js';

/** The IR version from which initializers need not be graph inputs (the decode chain relies on it). */
const MIN_PACKED_IR_VERSION = 4;

/** The default-domain opset of `model` (13 when it imports none). */
export function defaultOpset(model: OnnxModel): number {
  return model.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 13;
}

/**
 * A copy of `model` whose initializers named in `weights` hold binary weights. Each must exist, be
 * float32 and have exactly the weight's shape; a ModelError names the tensor otherwise.
 */
export function replaceWithBinaryWeights(model: OnnxModel, weights: ReadonlyMap<string, BinaryWeight>, mode: BinaryWeightMode = 'packed'): OnnxModel {
  if (mode !== 'packed' && mode !== 'float') throw new RangeError(`binary weight mode "${String(mode)}" is not 'packed' or 'float'.`);
  const g = model.graph;
  const byName = new Map(g.initializers.map((init) => [init.name, init]));
  for (const [name, w] of weights) checkTarget(byName.get(name), name, w);
  if (weights.size === 0) return model;

  // Build every weight's storage in one builder (the bit table is shared), in initializer order,
  // remembering which nodes and initializers belong to which weight so each chain can be placed
  // before its consumer and its tensors where the float weight was.
  const b = new GraphBuilder(g.name || 'graph');
  const opset = defaultOpset(model);
  // The opset comes from the file: one the decode chain cannot be written for is the model's problem, not a bug.
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new UnsupportedError(`the model imports default-domain opset ${opset}; onebit writes binary weights into models of opset ${MIN_OPSET}–${MAX_OPSET} only.`);
  }
  const packing = model.metadata[PACKING_METADATA_KEY];
  if (mode === 'packed' && packing !== undefined) {
    if (packing !== STACKED_PACKING) throw new ModelError(`The model's metadata ${PACKING_METADATA_KEY} is "${packing}"; onebit knows only "${STACKED_PACKING}" (or no entry, one decode chain per weight).`, PACKING_METADATA_KEY);
    return replaceStacked(model, weights, opset);
  }
  const nodesOf = new Map<string, OnnxNode[]>();
  const initializersOf = new Map<string, OnnxInitializer[]>();
  for (const name of g.initializers.filter((i) => weights.has(i.name)).map((i) => i.name)) {
    const before = b.graph();
    addBinaryWeight(b, name, weights.get(name)!, mode, opset);
    const after = b.graph();
    nodesOf.set(name, after.nodes.slice(before.nodes.length));
    initializersOf.set(name, after.initializers.slice(before.initializers.length));
  }

  if (mode === 'float') {
    return { ...model, graph: { ...g, initializers: g.initializers.map((init) => initializersOf.get(init.name)?.[0] ?? init) } };
  }

  checkFreshNames(g, b.graph(), weights);
  const nodes: OnnxNode[] = [];
  const placed = new Set<string>();
  for (const node of g.nodes) {
    for (const name of consumedNames(node)) {
      const chain = nodesOf.get(name);
      if (chain && !placed.has(name)) {
        nodes.push(...chain);
        placed.add(name);
      }
    }
    nodes.push(node);
  }
  // A weight nobody reads (or only a graph output) still gets its chain, at the end.
  for (const [name, chain] of nodesOf) if (!placed.has(name)) nodes.push(...chain);

  return {
    ...model,
    irVersion: Math.max(model.irVersion, MIN_PACKED_IR_VERSION),
    graph: {
      ...g,
      nodes,
      initializers: g.initializers.flatMap((init) => initializersOf.get(init.name) ?? [init]),
      // An initializer listed as a graph input (IR < 4 style) becomes a node output: no longer an input.
      inputs: g.inputs.filter((v) => !weights.has(v.name)),
    },
  };
}

/** replaceWithBinaryWeights for the stacked layout (weights in initializer order). */
function replaceStacked(model: OnnxModel, weights: ReadonlyMap<string, BinaryWeight>, opset: number): OnnxModel {
  const g = model.graph;
  const b = new GraphBuilder(g.name || 'graph');
  addStackedBinaryWeights(b, g.initializers.filter((i) => weights.has(i.name)).map((i) => [i.name, weights.get(i.name)!] as const), opset);
  const built = b.graph();
  checkFreshNames(g, built, weights);
  const at = g.nodes.findIndex((n) => consumedNames(n).some((name) => weights.has(name)));
  const nodes = at < 0 ? [...g.nodes, ...built.nodes] : [...g.nodes.slice(0, at), ...built.nodes, ...g.nodes.slice(at)];
  const first = g.initializers.findIndex((i) => weights.has(i.name));
  const initializers = g.initializers.flatMap((init, i) => (i === first ? built.initializers : weights.has(init.name) ? [] : [init]));
  return {
    ...model,
    irVersion: Math.max(model.irVersion, MIN_PACKED_IR_VERSION),
    graph: { ...g, nodes, initializers, inputs: g.inputs.filter((v) => !weights.has(v.name)) },
  };
}

function checkTarget(init: OnnxInitializer | undefined, name: string, w: BinaryWeight): void {
  if (!init) throw new ModelError(`The graph has no initializer named '${name}' to replace with a binary weight.`, name);
  if (init.externalData) throw new ModelError(`Initializer '${name}' still refers to external data "${init.externalData.location}"; resolve it before binarizing.`, name);
  const t: Tensor = init.tensor;
  if (t.dtype !== 'float32') throw new ModelError(`Initializer '${name}' is ${t.dtype}; only float32 initializers can be replaced by binary weights.`, name);
  if (t.dims.length !== w.dims.length || t.dims.some((d, i) => d !== w.dims[i])) {
    throw new ModelError(`Initializer '${name}' has shape ${formatDims(t.dims)} but its binary weight has shape ${formatDims(w.dims)}.`, name);
  }
}

/** Value and node names the packed storage adds must not exist in the graph already. */
function checkFreshNames(g: OnnxGraph, built: OnnxGraph, weights: ReadonlyMap<string, BinaryWeight>): void {
  const values = new Set<string>([...g.inputs.map((v) => v.name), ...g.initializers.filter((i) => !weights.has(i.name)).map((i) => i.name), ...g.nodes.flatMap((n) => n.outputs)]);
  const nodeNames = new Set(g.nodes.map((n) => n.name).filter((n) => n !== ''));
  for (const init of built.initializers) {
    if (values.has(init.name)) throw new ModelError(`Packing needs the value name '${init.name}' but the graph already uses it.`, init.name);
  }
  for (const node of built.nodes) {
    if (nodeNames.has(node.name)) throw new ModelError(`Packing needs the node name '${node.name}' but the graph already uses it.`, node.name);
    for (const out of node.outputs) if (!weights.has(out) && values.has(out)) throw new ModelError(`Packing needs the value name '${out}' but the graph already uses it.`, out);
  }
}

/** Names a node reads, including those read inside its subgraph attributes (If/Loop/Scan bodies). */
function consumedNames(node: OnnxNode): string[] {
  const names = [...node.inputs];
  const walk = (graph: OnnxGraph): void => {
    for (const n of graph.nodes) names.push(...consumedNames(n));
  };
  for (const a of Object.values(node.attributes)) {
    if (a.type === 'graph') walk(a.value);
    else if (a.type === 'graphs') a.value.forEach(walk);
  }
  return names;
}
