/**
 * The `stacked` layout of packed 1-bit weights (../PACKED.md "Stacked layout"), chosen by a model's
 * metadata `onebit.packing = stacked`: all binary weights' sign bits in one uint8 initializer,
 * decoded by one chain of standard ops (BitShift by 0…7 → Mod 2 → Cast → Gather of [−1, +1]), split
 * into groups of consecutive weights of one shape, each group reshaped to its weights stacked along
 * axis 0, multiplied by its scales and split back into the weights. The per-weight layout spends
 * ~300 bytes of decode chain per weight plus a 2 KiB bit table; this one ~1 KB in all, which is what
 * brings a many-layer model such as the authors' plain 20-4 net within 1.05× of its 1-bit floor.
 * It needs opset ≥ 11 (BitShift). findStackedBinaryWeights recognises it only when re-emitting the
 * weights it reads gives exactly the same nodes and initializers.
 */
import { elementCount, ModelError, tensor, type Tensor } from '@onebit/core';
import type { BinaryWeight } from '@onebit/bits';
import { binaryWeightScale, checkBinaryWeight } from './emit-binary-weight.js';
import { GraphBuilder } from './graph-builder.js';
import type { OnnxGraph, OnnxNode } from './model.js';

/** Metadata key choosing the packed layout; its only value other than absent (per-weight) is STACKED_PACKING. */
export const PACKING_METADATA_KEY = 'onebit.packing';
export const STACKED_PACKING = 'stacked';
/** BitShift, the first op of the decode chain, exists from opset 11. */
export const MIN_STACKED_OPSET = 11;

/** Every value the layout adds starts with this prefix. */
const P = 'pk.';
export const STACKED_BITS_NAME = `${P}bits`;
const SHIFTS = `${P}k`;
const TWO = `${P}t`;
const SIGNS = `${P}pm`;
const ROWS = `${P}r`;
const SIZES = `${P}n`;
const FLAT = `${P}f`;
const ZERO = `${P}z`;
/** Group k's values: `pk.<k>` (its rows), then `.d` dims, `.u` unscaled, `.c` scale, `.w` stacked weights, `.n` split sizes, `.f`/`.e`/`.s` flat/end/sliced. */
const group = (k: number, what: string): string => `${P}${k}${what}`;
/** TensorProto.DataType INT32, the `to` of the index Cast. */
const INT32 = 6;

type Entry = readonly [name: string, weight: BinaryWeight];

interface Group {
  readonly members: Entry[];
  /** Elements of all members. */
  n: number;
}

/**
 * Consecutive weights that stack along axis 0: equal dims after the first, whole bytes each (so no
 * padding bits between them), and scales that stack (all per-channel, or one equal number).
 */
function groupsOf(entries: readonly Entry[]): Group[] {
  const groups: Group[] = [];
  for (const e of entries) {
    const n = elementCount(e[1].dims);
    const last = groups[groups.length - 1];
    const first = last?.members[0]![1];
    const stacks =
      first !== undefined && n % 8 === 0 && last!.n % 8 === 0 && first.dims.length === e[1].dims.length && first.dims.every((d, i) => i === 0 || d === e[1].dims[i]) &&
      (typeof first.scale === 'number' ? Object.is(first.scale, e[1].scale) : typeof e[1].scale !== 'number');
    if (stacks) last!.members.push(e), (last!.n += n);
    else groups.push({ members: [e], n });
  }
  return groups;
}

/**
 * Adds the binary weights `entries` (name, weight; in this order in the bits) to `b` in the stacked
 * layout; each weight becomes the float32 value of its name, of shape w.dims, holding sign × scale.
 * @throws ModelError when a weight's dims, bits or scale are inconsistent, or opset < 11.
 */
export function addStackedBinaryWeights(b: GraphBuilder, entries: readonly Entry[], opset: number): void {
  if (entries.length === 0) return;
  for (const [name, w] of entries) checkBinaryWeight(name, w, opset);
  if (opset < MIN_STACKED_OPSET) throw new ModelError(`the stacked packed layout needs opset ${MIN_STACKED_OPSET} or later (BitShift); the model has opset ${opset}.`, entries[0]![0]);
  const groups = groupsOf(entries);
  const groupBytes = groups.map((g) => Math.ceil(g.n / 8));
  const bits = new Uint8Array(groupBytes.reduce((a, n) => a + n, 0));
  let at = 0;
  for (const g of groups) for (const [, w] of g.members) bits.set(w.bits, at), (at += w.bits.length);

  b.initializer(STACKED_BITS_NAME, tensor('uint8', [bits.length, 1], bits));
  b.initializer(SHIFTS, tensor('uint8', [8], Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7])));
  b.initializer(TWO, tensor('uint8', [], Uint8Array.from([2])));
  b.initializer(SIGNS, tensor('float32', [2], Float32Array.from([-1, 1])));
  // Row r of [bytes, 8] holds byte r's bits LSB first as ±1: element k of the stream is row ⌊k/8⌋, column k mod 8.
  const shifted = b.node('BitShift', [STACKED_BITS_NAME, SHIFTS], { direction: 'RIGHT' }, { name: '', outputs: [`${P}s`] });
  const bit = b.node('Mod', [shifted, TWO], {}, { name: '', outputs: [`${P}b`] });
  const index = b.node('Cast', [bit], { to: INT32 }, { name: '', outputs: [`${P}i`] });
  b.node('Gather', [SIGNS, index], {}, { name: '', outputs: [ROWS] });
  let parts = [ROWS];
  if (groups.length > 1) {
    parts = groups.map((_, k) => group(k, ''));
    if (opset >= 13) b.node('Split', [ROWS, b.initializer(SIZES, tensor('int64', [groups.length], BigInt64Array.from(groupBytes, BigInt)))], {}, { name: '', outputs: parts });
    else b.node('Split', [ROWS], { split: groupBytes }, { name: '', outputs: parts });
  }
  groups.forEach((g, k) => {
    const first = g.members[0]![1];
    const total = g.n;
    let v = parts[k]!;
    if (total % 8 !== 0) {
      // only a group of one weight: drop the padding bits of its last byte
      if (!b.has(FLAT)) b.initializer(FLAT, tensor('int64', [1], new BigInt64Array([-1n])));
      v = b.node('Reshape', [v, FLAT], {}, { name: '', outputs: [group(k, '.f')] });
      if (!b.has(ZERO)) b.initializer(ZERO, tensor('int64', [1], new BigInt64Array([0n])));
      v = b.node('Slice', [v, ZERO, b.initializer(group(k, '.e'), tensor('int64', [1], new BigInt64Array([BigInt(total)]))), ZERO], {}, { name: '', outputs: [group(k, '.s')] });
    }
    const counts = g.members.map(([, w]) => w.dims[0]!);
    const dims = [counts.reduce((a, c) => a + c, 0), ...first.dims.slice(1)];
    v = b.node('Reshape', [v, b.initializer(group(k, '.d'), tensor('int64', [dims.length], BigInt64Array.from(dims, BigInt)))], {}, { name: '', outputs: [group(k, '.u')] });
    const scale = b.initializer(group(k, '.c'), stackedScale(g, dims));
    const names = g.members.map(([name]) => name);
    if (names.length === 1) {
      b.node('Mul', [v, scale], {}, { name: '', outputs: names });
    } else {
      v = b.node('Mul', [v, scale], {}, { name: '', outputs: [group(k, '.w')] });
      if (counts.every((c) => c === counts[0])) b.node('Split', [v], opset >= 18 ? { num_outputs: names.length } : {}, { name: '', outputs: names });
      else if (opset >= 13) b.node('Split', [v, b.initializer(group(k, '.n'), tensor('int64', [counts.length], BigInt64Array.from(counts, BigInt)))], {}, { name: '', outputs: names });
      else b.node('Split', [v], { split: counts }, { name: '', outputs: names });
    }
  });
}

/** The group's scale: one number for all, or its members' per-channel scales back to back as [ΣC_out, 1, …]. */
function stackedScale(g: Group, dims: readonly number[]): Tensor {
  const scales = g.members.map(([name, w]) => binaryWeightScale(name, w, [...w.dims]).data);
  if (typeof g.members[0]![1].scale === 'number') return tensor('float32', [], scales[0]!);
  const all = new Float32Array(dims[0]!);
  scales.reduce((at, s) => (all.set(s, at), at + s.length), 0);
  return tensor('float32', [dims[0]!, ...dims.slice(1).map(() => 1)], all);
}

export interface StackedWeights {
  /** The weights by value name, in the order of their bits. */
  readonly weights: Map<string, BinaryWeight>;
  /** The layout's nodes (the decode chain and each group's reshape, scale and split). */
  readonly nodes: Set<OnnxNode>;
  /** The layout's initializers, by name. */
  readonly initializers: Set<string>;
}

/**
 * The binary weights stored in `graph` in the stacked layout (default-domain opset `opset`), or
 * undefined when the graph has none or its `pk.*` nodes and initializers are not exactly what
 * addStackedBinaryWeights writes for the weights they hold. Member bits are copies.
 */
export function findStackedBinaryWeights(graph: OnnxGraph, opset: number): StackedWeights | undefined {
  const inits = new Map(graph.initializers.map((i) => [i.name, i.tensor] as const));
  const bits = inits.get(STACKED_BITS_NAME);
  if (bits?.dtype !== 'uint8' || opset < MIN_STACKED_OPSET) return undefined;
  const byInput = new Map<string, OnnxNode>();
  for (const n of graph.nodes) for (const i of n.inputs) if (i.startsWith(P) && !byInput.has(i)) byInput.set(i, n);
  const entries: Entry[] = [];
  let at = 0;
  for (let k = 0; inits.has(group(k, '.d')); k++) {
    const shape = inits.get(group(k, '.d'))!;
    const scale = inits.get(group(k, '.c'));
    const mul = byInput.get(group(k, '.u'));
    if (shape.dtype !== 'int64' || scale?.dtype !== 'float32' || mul?.opType !== 'Mul') return undefined;
    const split = mul.outputs[0] === group(k, '.w') ? byInput.get(group(k, '.w')) : undefined;
    const names = split ? split.outputs : mul.outputs;
    const dims = Array.from(shape.data as BigInt64Array, Number);
    if (!names.length || dims.length === 0 || !dims.every((d) => Number.isSafeInteger(d) && d > 0)) return undefined;
    // Each member's output channels: the split sizes (input or attribute), else an equal split.
    const sizes = split?.inputs[1] ? inits.get(split.inputs[1]) : undefined;
    const counts = sizes?.dtype === 'int64' ? Array.from(sizes.data as BigInt64Array, Number) : split?.attributes['split']?.type === 'ints' ? (split.attributes['split'].value as number[]) : names.map(() => dims[0]! / names.length);
    if (counts.length !== names.length || !counts.every((c) => Number.isSafeInteger(c) && c > 0) || counts.reduce((a, c) => a + c, 0) !== dims[0]) return undefined;
    const perChannel = scale.dims.length > 0;
    if (perChannel ? scale.data.length !== dims[0] : scale.data.length !== 1) return undefined;
    let channel = 0;
    for (const [j, name] of names.entries()) {
      const member = [counts[j]!, ...dims.slice(1)];
      const bytes = Math.ceil(elementCount(member) / 8);
      if (at + bytes > bits.data.length) return undefined;
      const s = perChannel ? (scale.data as Float32Array).slice(channel, channel + counts[j]!) : (scale.data as Float32Array)[0]!;
      entries.push([name, { dims: member, bits: (bits.data as Uint8Array).slice(at, at + bytes), scale: s }]);
      at += bytes;
      channel += counts[j]!;
    }
  }
  if (entries.length === 0 || at !== bits.data.length) return undefined;
  // What addStackedBinaryWeights writes for these weights, next to what the graph has.
  const b = new GraphBuilder('stacked');
  try {
    addStackedBinaryWeights(b, entries, opset);
  } catch {
    return undefined; // weights the layout cannot hold: not this layout
  }
  const expected = b.graph();
  const producer = new Map(graph.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
  const nodes = new Set<OnnxNode>();
  for (const e of expected.nodes) {
    const found = producer.get(e.outputs[0]!);
    if (!found || found.name !== '' || found.opType !== e.opType || found.domain !== e.domain || JSON.stringify([found.inputs, found.outputs, found.attributes]) !== JSON.stringify([e.inputs, e.outputs, e.attributes])) return undefined;
    nodes.add(found);
  }
  for (const e of expected.initializers) if (!sameTensor(inits.get(e.name), e.tensor)) return undefined;
  return { weights: new Map(entries), nodes, initializers: new Set(expected.initializers.map((i) => i.name)) };
}

/** True when `a` has `b`'s dtype, dims and values exactly. */
export function sameTensor(a: Tensor | undefined, b: Tensor): boolean {
  if (!a || a.dtype !== b.dtype || a.dims.length !== b.dims.length || a.dims.some((d, i) => d !== b.dims[i]) || a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}
