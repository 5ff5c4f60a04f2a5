/**
 * Finds the packed 1-bit weights of a converted ONNX graph by their decode subgraph (PACKED.md of
 * @onebit/onnx: bits ─Cast─► Gather(onebit.bit_table) ─Cast(FLOAT)─► [Reshape(-1) ─► Slice] ─►
 * Reshape(shape) ─► Mul(scale)), or by the one chain of the stacked layout (PACKED.md "Stacked
 * layout"), and returns the bits, shape and scale of each, so the engine runs the consumer from the
 * bits and never executes (or materialises) the float expansion.
 */
import { elementCount, FormatError, type Tensor } from '@onebit/core';
import type { OnnxGraph, OnnxNode } from '@onebit/onnx';
import { bitTable, findStackedBinaryWeights } from '@onebit/onnx/read';

/** A binary weight as stored: `bits` (C-order element k = bit k mod 8 of byte ⌊k/8⌋, 1 = +1), `dims`, `scale` ([] or [dims[0]]). */
export interface PackedWeight {
  readonly name: string;
  readonly bits: Uint8Array;
  readonly dims: readonly number[];
  /** One float per output channel (length dims[0]) or a single per-tensor float. */
  readonly scale: Float32Array;
}

export interface PackedWeights {
  /** Value name (the Mul output) → its packed weight. */
  readonly weights: Map<string, PackedWeight>;
  /** Nodes of the decode subgraphs, which the engine does not execute. */
  readonly decodeNodes: Set<OnnxNode>;
}

const TABLE = bitTable();

function isBitTable(t: Tensor | undefined): boolean {
  if (!t || t.dtype !== 'int8' || t.dims.length !== 2 || t.dims[0] !== 256 || t.dims[1] !== 8) return false;
  for (let i = 0; i < TABLE.length; i++) if (t.data[i] !== TABLE[i]) return false;
  return true;
}

function intValues(t: Tensor | undefined): number[] | undefined {
  if (!t) return undefined;
  if (t.dtype === 'int64') return Array.from(t.data as BigInt64Array, Number);
  if (t.dtype === 'int32') return Array.from(t.data as Int32Array);
  return undefined;
}

/**
 * Recognises every packed weight in `graph`. A chain that deviates from the documented form is
 * left alone (its Gather then fails as an unsupported op at load, never runs silently wrong).
 * @throws FormatError when a recognised weight's bits, shape and scale disagree in size.
 */
export function findPackedWeights(graph: OnnxGraph, opset: number): PackedWeights {
  const inits = new Map(graph.initializers.map((i) => [i.name, i.tensor] as const));
  const producer = new Map<string, OnnxNode>();
  const consumers = new Map<string, OnnxNode[]>();
  for (const n of graph.nodes) {
    for (const o of n.outputs) producer.set(o, n);
    for (const i of n.inputs) if (i) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  }
  const outputs = new Set(graph.outputs.map((o) => o.name));
  /** The single consumer of `value`, when it has exactly one and is not a graph output. */
  const only = (value: string | undefined, opType: string): OnnxNode | undefined => {
    if (value === undefined || outputs.has(value)) return undefined;
    const c = consumers.get(value);
    return c?.length === 1 && c[0]!.opType === opType ? c[0] : undefined;
  };
  const weights = new Map<string, PackedWeight>();
  const decodeNodes = new Set<OnnxNode>();
  const stacked = findStackedBinaryWeights(graph, opset);
  if (stacked) {
    for (const [name, w] of stacked.weights) {
      if (outputs.has(name)) continue; // a weight that is a graph output is computed, not lifted
      weights.set(name, { name, bits: w.bits, dims: w.dims, scale: typeof w.scale === 'number' ? Float32Array.of(w.scale) : w.scale });
    }
    if (weights.size === stacked.weights.size) for (const n of stacked.nodes) decodeNodes.add(n);
    else weights.clear();
  }
  for (const gather of graph.nodes) {
    if (gather.opType !== 'Gather' || !isBitTable(inits.get(gather.inputs[0]!))) continue;
    const axis = gather.attributes.axis;
    if (axis && axis.value !== 0) continue;
    const castIn = producer.get(gather.inputs[1]!);
    if (castIn?.opType !== 'Cast' || only(castIn.outputs[0], 'Gather') !== gather) continue;
    const bits = inits.get(castIn.inputs[0]!);
    if (bits?.dtype !== 'uint8') continue;
    const castOut = only(gather.outputs[0], 'Cast');
    if (!castOut || castOut.attributes.to?.value !== 1) continue;
    const chain = [castIn, gather, castOut];
    let next = only(castOut.outputs[0], 'Reshape');
    if (!next) continue;
    let n: number | undefined;
    const firstShape = intValues(inits.get(next.inputs[1]!));
    if (firstShape?.length === 1 && firstShape[0] === -1) {
      // Reshape(-1) ─► Slice(0..n): the weight's element count is not a multiple of 8.
      const slice = only(next.outputs[0], 'Slice');
      if (!slice) continue;
      const starts = slice.inputs.length > 1 ? intValues(inits.get(slice.inputs[1]!)) : (slice.attributes.starts?.value as number[] | undefined);
      const ends = slice.inputs.length > 2 ? intValues(inits.get(slice.inputs[2]!)) : (slice.attributes.ends?.value as number[] | undefined);
      if (starts?.[0] !== 0 || ends?.length !== 1) continue;
      n = ends[0];
      chain.push(next, slice);
      next = only(slice.outputs[0], 'Reshape');
      if (!next) continue;
    }
    const dims = intValues(inits.get(next.inputs[1]!));
    if (!dims || dims.some((d) => !Number.isSafeInteger(d) || d <= 0)) continue;
    const mul = only(next.outputs[0], 'Mul');
    if (!mul) continue;
    const scaleName = mul.inputs[0] === next.outputs[0] ? mul.inputs[1] : mul.inputs[0];
    const scale = inits.get(scaleName!);
    if (scale?.dtype !== 'float32') continue;
    chain.push(next, mul);
    const count = elementCount(dims);
    const name = mul.outputs[0]!;
    if ((n !== undefined && n !== count) || bits.data.length !== Math.ceil(count / 8)) {
      throw new FormatError('onnx', `packed weight '${name}' has ${bits.data.length} bytes of bits for shape [${dims.join(', ')}] (${count} elements, needs ${Math.ceil(count / 8)} bytes).`);
    }
    const perChannel = scale.dims.length === dims.length && scale.dims[0] === dims[0] && scale.dims.slice(1).every((d) => d === 1);
    if (!(scale.data.length === 1 && elementCount(scale.dims) === 1) && !perChannel) {
      throw new FormatError('onnx', `packed weight '${name}' has a scale of shape [${scale.dims.join(', ')}]; PACKED.md allows [] or [${dims[0]}, 1, …].`);
    }
    weights.set(name, { name, bits: bits.data as Uint8Array, dims, scale: scale.data as Float32Array });
    for (const c of chain) decodeNodes.add(c);
  }
  return { weights, decodeNodes };
}
