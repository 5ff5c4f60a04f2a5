/**
 * The graph surgery of binarization: each binarized weight becomes a float32 initializer holding
 * its ±scale values (which replaceWithBinaryWeights then stores packed or as floats), read by exactly
 * the binarized nodes — through a Mul by a per-channel scale when the output axis is not 0, and a
 * Cast when the weight's own dtype is not float32. Readers that are not binarized (another op, a
 * graph output, a subgraph) keep the original value. The nodes and initializers the weight was
 * computed from (Constant, Sign, Mul, QONNX quantizers, …) are removed once nothing reads them.
 */
import type { BinaryWeight } from '@onebit/bits';
import { expandBinaryWeight } from '@onebit/binarize';
import { tensor } from '@onebit/core';
import { DATA_TYPE, type OnnxGraph, type OnnxInitializer, type OnnxModel, type OnnxNode } from '@onebit/onnx';
import type { CandidateWeight } from './binarize-weight.js';
import type { WeightCandidate } from './candidates.js';

export interface WeightRewrite {
  readonly candidate: WeightCandidate;
  readonly binary: CandidateWeight;
}

export interface RewrittenModel {
  /** The model with every binarized weight as a float32 ±scale initializer named as in `weights`. */
  readonly model: OnnxModel;
  /** The binary weights by the initializer name they stand for. */
  readonly weights: ReadonlyMap<string, BinaryWeight>;
  /** Per rewritten candidate value: the readers that keep the original tensor. */
  readonly keptReaders: ReadonlyMap<string, readonly string[]>;
}

/** Names a node reads, including those read inside its subgraph attributes (If/Loop/Scan bodies). */
function consumedNames(node: OnnxNode): string[] {
  const names = [...node.inputs];
  const walk = (graph: OnnxGraph): void => {
    for (const n of graph.nodes) names.push(...consumedNames(n));
    names.push(...graph.outputs.map((o) => o.name));
  };
  for (const a of Object.values(node.attributes)) {
    if (a.type === 'graph') walk(a.value);
    else if (a.type === 'graphs') a.value.forEach(walk);
  }
  return names;
}

/** Applies every rewrite to `model` (see the file comment). */
export function rewriteWeights(model: OnnxModel, rewrites: readonly WeightRewrite[]): RewrittenModel {
  const g = model.graph;
  const nodes: OnnxNode[] = g.nodes.map((n) => ({ ...n, inputs: [...n.inputs] }));
  let initializers: OnnxInitializer[] = [...g.initializers];
  const taken = new Set<string>([...g.inputs.map((v) => v.name), ...g.initializers.map((i) => i.name), ...g.nodes.flatMap((n) => n.outputs), ...g.nodes.map((n) => n.name)]);
  const fresh = (base: string): string => {
    let name = base;
    for (let k = 1; taken.has(name); k++) name = `${base}_${k}`;
    taken.add(name);
    return name;
  };
  const producer = new Map<string, number>();
  g.nodes.forEach((n, i) => n.outputs.forEach((o) => producer.set(o, i)));
  const removedNodes = new Set<number>();
  const insertBefore = new Map<number, OnnxNode[]>();
  const weights = new Map<string, BinaryWeight>();
  const keptReaders = new Map<string, string[]>();
  const prunableNodes = new Set<number>();
  const prunableInits = new Set<string>();

  for (const { candidate: c, binary } of rewrites) {
    const v = c.value;
    const binarized = new Set(c.consumers);
    const others: string[] = [];
    g.nodes.forEach((n, i) => {
      const direct = n.inputs.some((x, j) => x === v && !(binarized.has(i) && j === 1));
      if (direct || (!n.inputs.includes(v) && consumedNames(n).includes(v))) others.push(`${n.opType} '${n.name || n.outputs[0]}'`);
    });
    if (g.outputs.some((o) => o.name === v)) others.push('a graph output');
    keptReaders.set(v, others);
    for (const i of c.trace?.nodes ?? []) prunableNodes.add(i);
    for (const name of c.trace?.initializers ?? []) prunableInits.add(name);

    const extra = binary.axisScale !== undefined || c.dtype !== 'float32';
    const whole = others.length === 0;
    const placeholder = (name: string): OnnxInitializer => ({ name, tensor: tensor('float32', binary.weight.dims, expandBinaryWeight(binary.weight)) });
    let output: string;
    if (whole) {
      // Every reader is binarized: the value keeps its name and its old producer goes.
      output = v;
      const p = producer.get(v);
      if (p !== undefined) removedNodes.add(p);
      if (!extra) {
        const at = initializers.findIndex((i) => i.name === v);
        if (at >= 0) initializers[at] = placeholder(v);
        else initializers.push(placeholder(v));
        weights.set(v, binary.weight);
        continue;
      }
      initializers = initializers.filter((i) => i.name !== v);
    } else output = fresh(`${v}.binary`);
    const added: OnnxNode[] = [];
    let last = output;
    if (extra) {
      last = fresh(`${v}.binary_float32`);
      initializers.push(placeholder(last));
      weights.set(last, binary.weight);
      if (binary.axisScale) {
        const { axis, scale } = binary.axisScale;
        const shape = c.dims.map((d, i) => (i === axis ? d : 1));
        const scaleName = fresh(`${v}.channel_scale`);
        initializers.push({ name: scaleName, tensor: tensor('float32', shape, scale.slice()) });
        const scaled = c.dtype === 'float32' ? output : fresh(`${v}.scaled`);
        added.push(node('Mul', fresh(`${v}.channel_mul`), [last, scaleName], scaled));
        last = scaled;
      }
      if (c.dtype !== 'float32') added.push({ ...node('Cast', fresh(`${v}.to_${c.dtype}`), [last], output), attributes: { to: { type: 'int', value: DATA_TYPE[c.dtype] } } });
    } else {
      initializers.push(placeholder(output));
      weights.set(output, binary.weight);
    }
    const first = Math.min(...c.consumers);
    insertBefore.set(first, [...(insertBefore.get(first) ?? []), ...added]);
    if (!whole) for (const i of c.consumers) nodes[i]!.inputs[1] = output;
  }

  let kept: OnnxNode[] = [];
  const keptIndex: number[] = [];
  nodes.forEach((n, i) => {
    for (const a of insertBefore.get(i) ?? []) {
      kept.push(a);
      keptIndex.push(-1);
    }
    if (!removedNodes.has(i)) {
      kept.push(n);
      keptIndex.push(i);
    }
  });
  // Drop what the weights were computed from once nothing reads it any more.
  for (let changed = true; changed; ) {
    changed = false;
    const used = new Set<string>([...kept.flatMap(consumedNames), ...g.outputs.map((o) => o.name)]);
    const next = kept.filter((n, k) => !(prunableNodes.has(keptIndex[k]!) && n.outputs.every((o) => !used.has(o))));
    if (next.length !== kept.length) {
      const survivors = new Set(next);
      const idx = keptIndex.filter((_i, k) => survivors.has(kept[k]!));
      kept = next;
      keptIndex.splice(0, keptIndex.length, ...idx);
      changed = true;
    }
    const inits = initializers.filter((i) => !(prunableInits.has(i.name) && !weights.has(i.name) && !used.has(i.name)));
    if (inits.length !== initializers.length) {
      initializers = inits;
      changed = true;
    }
  }
  const outputs = new Set(kept.flatMap((n) => n.outputs));
  const initNames = new Set(initializers.map((i) => i.name));
  const values = new Set<string>([...initNames, ...outputs]);
  // An initializer listed as a graph input (IR < 4) goes with its initializer, or when a node now computes it.
  const inputs = g.inputs.filter((v) => !outputs.has(v.name) && (initNames.has(v.name) || !g.initializers.some((i) => i.name === v.name)));
  const valueInfo = g.valueInfo.filter((v) => values.has(v.name) || inputs.some((i) => i.name === v.name));
  // An operator set only the removed nodes used (a QONNX domain) is no longer imported.
  const domains = new Set<string>();
  const collect = (nodes: readonly OnnxNode[]): void => {
    for (const n of nodes) {
      domains.add(n.domain);
      for (const a of Object.values(n.attributes)) {
        if (a.type === 'graph') collect(a.value.nodes);
        else if (a.type === 'graphs') a.value.forEach((sub) => collect(sub.nodes));
      }
    }
  };
  collect(kept);
  const removedDomains = new Set(g.nodes.map((n) => n.domain).filter((d) => d !== '' && d !== 'ai.onnx' && !domains.has(d)));
  const opsetImports = model.opsetImports.filter((o) => !removedDomains.has(o.domain));
  return { model: { ...model, opsetImports, graph: { ...g, nodes: kept, initializers, inputs, valueInfo } }, weights, keptReaders };
}

function node(opType: string, name: string, inputs: string[], output: string): OnnxNode {
  return { name, opType, domain: '', inputs, outputs: [output], attributes: {}, docString: '' };
}
