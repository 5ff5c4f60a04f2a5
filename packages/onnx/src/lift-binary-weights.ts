/**
 * The inverse of replaceWithBinaryWeights(…, 'packed'): finds the 1-bit storage + decode chains
 * onebit writes (../PACKED.md) in an ONNX model and turns each back into a float32 initializer of
 * the weight's shape plus its BinaryWeight (sign bits + scale). A chain is recognised only when
 * addBinaryWeight, given the same bits and scale, emits exactly the same nodes and initializers, so
 * any other graph is left as it is. The lifted initializer takes the place of the chain's
 * initializers, which is where the float weight was before packing.
 */
import type { BinaryWeight } from '@onebit/bits';
import { tensor } from '@onebit/core';
import { addBinaryWeight, binaryWeightValues, BIT_TABLE_NAME, FLAT_SHAPE_NAME } from './emit-binary-weight.js';
import { GraphBuilder } from './graph-builder.js';
import { MAX_OPSET, MIN_OPSET } from './ir-version.js';
import type { OnnxInitializer, OnnxModel, OnnxNode } from './model.js';
import { defaultOpset } from './pack-model.js';
import { findStackedBinaryWeights, PACKING_METADATA_KEY, sameTensor, STACKED_BITS_NAME, STACKED_PACKING } from './stacked-binary-weights.js';

export interface LiftedModel {
  /** The model with each packed weight as a float32 initializer holding its ±scale values. */
  readonly model: OnnxModel;
  /** The lifted weights by initializer name, in initializer order. */
  readonly weights: ReadonlyMap<string, BinaryWeight>;
}

/** `model` with onebit's packed binary weights turned back into initializers (see file comment). */
export function liftBinaryWeights(model: OnnxModel): LiftedModel {
  const stacked = liftStacked(model);
  const perWeight = liftPerWeight(stacked.model);
  if (stacked.weights.size === 0) return perWeight;
  const all = new Map([...stacked.weights, ...perWeight.weights]);
  const ordered = new Map(perWeight.model.graph.initializers.filter((i) => all.has(i.name)).map((i) => [i.name, all.get(i.name)!]));
  return { model: perWeight.model, weights: ordered };
}

/**
 * Lifts the stacked layout (stacked-binary-weights.ts): its nodes go, and its initializers give way,
 * where its bits were, to the weights' float32 initializers in bits order — where replaceWithBinaryWeights
 * puts the layout back. The lifted model's metadata says `onebit.packing = stacked`, so packing it
 * again writes the same layout.
 */
function liftStacked(model: OnnxModel): LiftedModel {
  const g = model.graph;
  const opset = defaultOpset(model);
  const found = Number.isInteger(opset) && opset <= MAX_OPSET ? findStackedBinaryWeights(g, opset) : undefined;
  if (!found) return { model, weights: new Map() };
  const lifted = [...found.weights].map(([name, w]): OnnxInitializer => ({ name, tensor: tensor('float32', w.dims, binaryWeightValues(name, w)) }));
  const initializers = g.initializers.flatMap((i) => (i.name === STACKED_BITS_NAME ? lifted : found.initializers.has(i.name) ? [] : [i]));
  const nodes = g.nodes.filter((n) => !found.nodes.has(n));
  return { model: { ...model, metadata: { ...model.metadata, [PACKING_METADATA_KEY]: STACKED_PACKING }, graph: { ...g, nodes, initializers } }, weights: found.weights };
}

/** Lifts the per-weight layout (PACKED.md "Stored initializers"). */
function liftPerWeight(model: OnnxModel): LiftedModel {
  const g = model.graph;
  const opset = defaultOpset(model);
  const weights = new Map<string, BinaryWeight>();
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) return { model, weights };
  const inits = new Map(g.initializers.map((i) => [i.name, i]));
  const nodeByName = new Map(g.nodes.map((n) => [n.name, n]));
  const chainNodes = new Set<OnnxNode>();
  const chainInits = new Set<string>();
  for (const node of g.nodes) {
    if (node.opType !== 'Mul' || node.outputs.length !== 1 || node.name !== `${node.outputs[0]}.mul`) continue;
    const name = node.outputs[0]!;
    const w = binaryWeightOf(name, inits);
    if (!w) continue;
    // What addBinaryWeight writes for these bits and scale, next to what the file has.
    const b = new GraphBuilder('lift');
    addBinaryWeight(b, name, w, 'packed', opset);
    const expected = b.graph();
    const found = expected.nodes.map((n) => nodeByName.get(n.name));
    if (!found.every((n, k) => n !== undefined && sameNode(n, expected.nodes[k]!))) continue;
    if (!expected.initializers.every((i) => sameTensor(inits.get(i.name)?.tensor, i.tensor))) continue;
    for (const n of found) chainNodes.add(n!);
    for (const i of expected.initializers) if (!isSharedTable(i.name)) chainInits.add(i.name);
    weights.set(name, w);
  }
  if (weights.size === 0) return { model, weights };
  const nodes = g.nodes.filter((n) => !chainNodes.has(n));
  // The shared tables go too once no remaining node reads them.
  const read = new Set(nodes.flatMap((n) => n.inputs));
  const initializers: OnnxInitializer[] = [];
  for (const init of g.initializers) {
    const lifted = init.name.endsWith('.bits') ? init.name.slice(0, -'.bits'.length) : undefined;
    if (lifted !== undefined && weights.has(lifted) && chainInits.has(init.name)) {
      const w = weights.get(lifted)!;
      initializers.push({ name: lifted, tensor: tensor('float32', w.dims, binaryWeightValues(lifted, w)) });
    } else if (!chainInits.has(init.name) && !(isSharedTable(init.name) && !read.has(init.name))) {
      initializers.push(init);
    }
  }
  const ordered = new Map(initializers.filter((i) => weights.has(i.name)).map((i) => [i.name, weights.get(i.name)!]));
  return { model: { ...model, graph: { ...g, nodes, initializers } }, weights: ordered };
}

/** The tensors addBinaryWeight shares between weights. */
function isSharedTable(name: string): boolean {
  return name === BIT_TABLE_NAME || name === FLAT_SHAPE_NAME;
}

/** The BinaryWeight stored in `<name>.bits`, `.shape` and `.scale`, if those have the packed form. */
function binaryWeightOf(name: string, inits: Map<string, OnnxInitializer>): BinaryWeight | undefined {
  const bits = inits.get(`${name}.bits`)?.tensor;
  const shape = inits.get(`${name}.shape`)?.tensor;
  const scale = inits.get(`${name}.scale`)?.tensor;
  if (bits?.dtype !== 'uint8' || shape?.dtype !== 'int64' || scale?.dtype !== 'float32') return undefined;
  const dims = Array.from(shape.data, Number);
  if (!dims.every((d) => Number.isSafeInteger(d) && d > 0)) return undefined;
  const n = dims.reduce((a, d) => a * d, 1);
  if (!Number.isSafeInteger(n) || bits.data.length !== Math.ceil(n / 8)) return undefined;
  if (scale.dims.length === 0 && scale.data.length === 1) return { dims, bits: bits.data, scale: scale.data[0]! };
  if (scale.data.length === dims[0] && scale.dims[0] === dims[0]) return { dims, bits: bits.data, scale: scale.data };
  return undefined;
}

function sameNode(a: OnnxNode, b: OnnxNode): boolean {
  return a.opType === b.opType && a.domain === b.domain && JSON.stringify([a.inputs, a.outputs, a.attributes]) === JSON.stringify([b.inputs, b.outputs, b.attributes]);
}
