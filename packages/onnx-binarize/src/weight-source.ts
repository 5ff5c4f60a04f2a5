/**
 * Follows a weight input of an ONNX node back to the constants it is computed from and computes its
 * value: initializers and `Constant` nodes, through Identity, Cast (to float32/float64), Reshape,
 * Transpose, Unsqueeze, Squeeze, and the ops that declare a binarization — `Sign` (optionally times
 * a constant `Mul`, either operand order) and the QONNX quantizers `BipolarQuant` and `Quant`
 * (domain `qonnx.custom_op.general`, also its older `finn.custom_op.general` name). Op semantics are
 * those of the ONNX operator spec (https://onnx.ai/onnx/operators/) and of the QONNX custom-op
 * docs (fastmachinelearning/qonnx docs/qonnx-custom-ops: bipolarquant_v1.md, quant_op.md). Values
 * are carried as float64 so float16/bfloat16/float32/float64 sources keep every sign exactly. A
 * small evaluator written here because no maintained JS library constant-folds ONNX graphs.
 */
import { toFloat32, UnsupportedError, type DType, type Tensor } from '@onebit/core';
import type { OnnxGraph, OnnxNode } from '@onebit/onnx';

/** A constant tensor's value: its ONNX dtype, its shape, and its elements as float64 in C order. */
export interface ConstValue {
  readonly dtype: DType;
  readonly dims: readonly number[];
  readonly values: Float64Array;
}

/** How the graph itself declares that a weight is binary. */
export type Declaration = 'Sign' | 'Sign·Mul' | 'BipolarQuant' | 'Quant';

export interface TracedWeight {
  readonly value: ConstValue;
  /** The initializer or Constant output the weight's data comes from (what rules and reports name). */
  readonly root: string;
  /** The ops from the root to the consumer, e.g. ['Constant', 'Reshape'] or ['initializer', 'Sign', 'Mul']. */
  readonly path: readonly string[];
  /** Indices (into graph.nodes) of every node the value is computed by. */
  readonly nodes: ReadonlySet<number>;
  /** Initializers the value is computed from. */
  readonly initializers: ReadonlySet<string>;
  readonly declared?: Declaration;
}

export type TraceResult = { readonly ok: true; readonly weight: TracedWeight } | { readonly ok: false; readonly reason: string };

/** The QONNX custom-op domains (current and pre-2022 FINN name). */
export const QONNX_DOMAINS: ReadonlySet<string> = new Set(['qonnx.custom_op.general', 'finn.custom_op.general']);
const MAX_DEPTH = 64;
/** The largest broadcast product folded (2^24 elements, 128 MiB as float64): bigger is not a weight. */
const MAX_FOLDED_ELEMENTS = 2 ** 24;

/** TensorProto.DataType numbers of the float types a Cast of a weight may target (onnx.proto). */
const CAST_TARGETS: Readonly<Record<number, DType>> = { 1: 'float32', 11: 'float64' };

interface Traced {
  value: ConstValue;
  root: string;
  path: string[];
  nodes: Set<number>;
  initializers: Set<string>;
  declared?: Declaration;
}

class NotConstant extends Error {}

/** The graph's lookup tables, built once per graph and shared by every trace. */
export class GraphIndex {
  readonly producer = new Map<string, number>();
  readonly initializers: Map<string, Tensor>;
  readonly external = new Set<string>();
  constructor(readonly graph: OnnxGraph) {
    graph.nodes.forEach((n, i) => n.outputs.forEach((o) => o !== '' && this.producer.set(o, i)));
    this.initializers = new Map(graph.initializers.map((i) => [i.name, i.tensor]));
    for (const i of graph.initializers) if (i.externalData) this.external.add(i.name);
  }
}

/** Traces value `name` of `index.graph` to its constant sources, or says why it is not a constant. */
export function traceWeight(index: GraphIndex, name: string): TraceResult {
  try {
    const t = trace(index, name, 0);
    return { ok: true, weight: t };
  } catch (e) {
    if (e instanceof NotConstant) return { ok: false, reason: e.message };
    throw e;
  }
}

function trace(index: GraphIndex, name: string, depth: number): Traced {
  if (depth > MAX_DEPTH) throw new NotConstant(`its producers are nested more than ${MAX_DEPTH} deep`);
  const init = index.initializers.get(name);
  const p = index.producer.get(name);
  if (init && p === undefined) {
    if (index.external.has(name)) throw new NotConstant(`initializer '${name}' is still in external data`);
    return { value: fromTensor(init), root: name, path: ['initializer'], nodes: new Set(), initializers: new Set([name]) };
  }
  if (p === undefined) throw new NotConstant(`'${name}' is a graph input, not a constant`);
  const node = index.graph.nodes[p]!;
  const label = `${node.opType} '${node.name || name}'`;
  const input = (k: number): Traced => {
    const n = node.inputs[k];
    if (n === undefined || n === '') throw new NotConstant(`${label} has no input ${k}`);
    return trace(index, n, depth + 1);
  };
  const step = (from: Traced, value: ConstValue, extra: Traced[] = [], declared = from.declared): Traced => {
    const nodes = new Set([...from.nodes, ...extra.flatMap((e) => [...e.nodes]), p]);
    const initializers = new Set([...from.initializers, ...extra.flatMap((e) => [...e.initializers])]);
    return { value, root: from.root, path: [...from.path, node.opType], nodes, initializers, ...(declared ? { declared } : {}) };
  };
  const std = node.domain === '' || node.domain === 'ai.onnx';
  if (QONNX_DOMAINS.has(node.domain)) {
    if (node.opType === 'BipolarQuant') {
      const x = input(0);
      const s = input(1);
      const signs = map(x.value, (v) => (v >= 0 ? 1 : -1));
      return step(x, multiply(signs, s.value, label), [s], 'BipolarQuant');
    }
    if (node.opType === 'Quant') return quant(node, label, input(0), input, step);
    throw new NotConstant(`it is computed by the QONNX op ${label}, which onebit does not fold`);
  }
  if (!std) throw new NotConstant(`it is computed by ${label} of domain '${node.domain}'`);
  switch (node.opType) {
    case 'Constant': {
      const v = constantAttribute(node);
      if (!v) throw new NotConstant(`${label} holds no tensor value`);
      return { value: v, root: name, path: ['Constant'], nodes: new Set([p]), initializers: new Set() };
    }
    case 'Identity': {
      const x = input(0);
      return step(x, x.value);
    }
    case 'Cast': {
      const x = input(0);
      const to = intAttr(node, 'to');
      const dtype = to === undefined ? undefined : CAST_TARGETS[to];
      if (!dtype || !isFloat(x.value.dtype)) throw new NotConstant(`${label} casts ${x.value.dtype} to data_type ${to}; onebit folds only casts of float weights to float32/float64`);
      const values = dtype === 'float32' ? Float64Array.from(x.value.values, Math.fround) : x.value.values;
      return step(x, { dtype, dims: x.value.dims, values });
    }
    case 'Reshape': {
      const x = input(0);
      const shape = input(1);
      return step(x, { ...x.value, dims: reshapeDims(x.value.dims, [...shape.value.values], intAttr(node, 'allowzero') === 1, label) }, [shape]);
    }
    case 'Transpose': {
      const x = input(0);
      const perm = intsAttr(node, 'perm') ?? x.value.dims.map((_d, i) => x.value.dims.length - 1 - i);
      return step(x, transpose(x.value, perm, label));
    }
    case 'Unsqueeze':
    case 'Squeeze': {
      const x = input(0);
      const axesInput = node.inputs[1] ? input(1) : undefined;
      const axes = intsAttr(node, 'axes') ?? (axesInput ? [...axesInput.value.values] : undefined);
      const dims = node.opType === 'Unsqueeze' ? unsqueezeDims(x.value.dims, axes, label) : squeezeDims(x.value.dims, axes, label);
      return step(x, { ...x.value, dims }, axesInput ? [axesInput] : []);
    }
    case 'Sign': {
      const x = input(0);
      return step(x, map(x.value, (v) => (v > 0 ? 1 : v < 0 ? -1 : 0)), [], 'Sign');
    }
    case 'Mul': {
      const a = input(0);
      const b = input(1);
      // The weight's data is the signed operand (or the larger one); the other is its scale.
      const aIsData = a.declared !== undefined ? true : b.declared !== undefined ? false : a.value.values.length >= b.value.values.length;
      const [data, other] = aIsData ? [a, b] : [b, a];
      const declared = data.declared === 'Sign' && other.declared === undefined ? 'Sign·Mul' : data.declared;
      return step(data, multiply(a.value, b.value, label), [other], declared);
    }
    default:
      throw new NotConstant(`it is computed by ${label}, which onebit does not fold into a constant`);
  }
}

/**
 * QONNX Quant (quant_op.md): y = (clamp(round(x/scale + zeropt), min, max) − zeropt) · scale with
 * min/max from bitwidth, `signed` (default 1) and `narrow` (default 0). Only bit width 1 is a 1-bit
 * weight; its two levels are ±a only for some zero points (signed, not narrow: levels −1−z and −z),
 * so levels that are not ±a are refused rather than rounded into a sign.
 */
function quant(node: OnnxNode, label: string, x: Traced, input: (k: number) => Traced, step: (from: Traced, value: ConstValue, extra: Traced[], declared?: Declaration) => Traced): Traced {
  const s = input(1);
  const z = input(2);
  const bw = input(3);
  if (bw.value.values.length !== 1) throw new NotConstant(`${label} has a bit width tensor of ${bw.value.values.length} elements`);
  const bits = bw.value.values[0]!;
  if (bits !== 1) throw new NotConstant(`${label} quantizes to ${bits} bits, not 1`);
  const signed = (intAttr(node, 'signed') ?? 1) === 1;
  const narrow = (intAttr(node, 'narrow') ?? 0) === 1;
  const mode = (stringAttr(node, 'rounding_mode') ?? 'ROUND').toUpperCase();
  const round = ROUNDING[mode];
  if (!round) throw new UnsupportedError(`${label} has rounding_mode '${mode}', which is not one of QONNX's ${Object.keys(ROUNDING).join(', ')}.`);
  const min = signed ? (narrow ? 0 : -1) : 0;
  const max = signed ? 0 : narrow ? 0 : 1;
  const zs = z.value.values;
  if (zs.length !== 1) throw new NotConstant(`${label} has a zero point per channel`);
  const zp = zs[0]!;
  const lo = min - zp;
  const hi = max - zp;
  if (!(lo === -hi && hi > 0)) {
    throw new UnsupportedError(`${label} is a 1-bit QONNX Quant (signed=${signed ? 1 : 0}, narrow=${narrow ? 1 : 0}, zeropt=${zp}) whose levels ${lo}·scale and ${hi}·scale are not ±a; onebit stores only ±a weights, so export the weight with BipolarQuant.`);
  }
  const xs = multiply(x.value, map(s.value, (v) => 1 / v), label);
  const q = map(xs, (v) => Math.min(max, Math.max(min, round(v + zp))) - zp);
  return step(x, multiply(q, s.value, label), [s, z, bw], 'Quant');
}

/** QONNX rounding modes (quant_op.md table); ROUND is half to even. */
const ROUNDING: Readonly<Record<string, (v: number) => number>> = {
  ROUND: (v) => {
    const f = Math.floor(v);
    const d = v - f;
    return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  },
  CEIL: Math.ceil,
  FLOOR: Math.floor,
  UP: (v) => (v >= 0 ? Math.ceil(v) : Math.floor(v)),
  DOWN: Math.trunc,
  HALF_UP: (v) => (v >= 0 ? Math.floor(v + 0.5) : -Math.floor(-v + 0.5)),
  HALF_DOWN: (v) => (v >= 0 ? Math.ceil(v - 0.5) : -Math.ceil(-v - 0.5)),
};

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16' || dtype === 'bfloat16';
}

function fromTensor(t: Tensor): ConstValue {
  const values = t.dtype === 'float64' ? Float64Array.from(t.data as Float64Array) : t.dtype === 'int64' || t.dtype === 'uint64' ? Float64Array.from(t.data as BigInt64Array, Number) : Float64Array.from(toFloat32(t.dtype, t.data));
  return { dtype: t.dtype, dims: [...t.dims], values };
}

function constantAttribute(node: OnnxNode): ConstValue | undefined {
  const a = node.attributes;
  const v = a['value'];
  if (v?.type === 'tensor') return fromTensor(v.value.tensor);
  const f = a['value_float'];
  if (f?.type === 'float') return { dtype: 'float32', dims: [], values: new Float64Array([f.value]) };
  const fs = a['value_floats'];
  if (fs?.type === 'floats') return { dtype: 'float32', dims: [fs.value.length], values: Float64Array.from(fs.value) };
  const i = a['value_int'];
  if (i?.type === 'int') return { dtype: 'int64', dims: [], values: new Float64Array([i.value]) };
  const is = a['value_ints'];
  if (is?.type === 'ints') return { dtype: 'int64', dims: [is.value.length], values: Float64Array.from(is.value) };
  return undefined;
}

function intAttr(node: OnnxNode, key: string): number | undefined {
  const a = node.attributes[key];
  return a?.type === 'int' ? a.value : undefined;
}
function intsAttr(node: OnnxNode, key: string): number[] | undefined {
  const a = node.attributes[key];
  return a?.type === 'ints' ? a.value : undefined;
}
function stringAttr(node: OnnxNode, key: string): string | undefined {
  const a = node.attributes[key];
  return a?.type === 'string' ? a.value : undefined;
}

function map(v: ConstValue, f: (x: number) => number): ConstValue {
  return { ...v, values: v.values.map(f) };
}

/** Elementwise a·b with numpy broadcasting (ONNX Mul), rounded to float32 when a is float32. */
export function multiply(a: ConstValue, b: ConstValue, label: string): ConstValue {
  const rank = Math.max(a.dims.length, b.dims.length);
  const pad = (d: readonly number[]) => [...Array(rank - d.length).fill(1), ...d] as number[];
  const da = pad(a.dims);
  const db = pad(b.dims);
  const dims = da.map((x, i) => {
    const y = db[i]!;
    if (x !== y && x !== 1 && y !== 1) throw new NotConstant(`${label} multiplies shapes [${a.dims.join(', ')}] and [${b.dims.join(', ')}], which do not broadcast`);
    return x === 1 ? y : x;
  });
  const n = dims.reduce((s, d) => s * d, 1);
  if (n > MAX_FOLDED_ELEMENTS) throw new NotConstant(`${label} would broadcast to ${n} elements, more than onebit folds (${MAX_FOLDED_ELEMENTS})`);
  const strides = (d: number[]) => {
    const s = new Array<number>(rank).fill(0);
    let acc = 1;
    for (let i = rank - 1; i >= 0; i--) {
      s[i] = d[i] === 1 ? 0 : acc;
      acc *= d[i]!;
    }
    return s;
  };
  const sa = strides(da);
  const sb = strides(db);
  const out = new Float64Array(n);
  const round = a.dtype === 'float32' ? Math.fround : (x: number) => x;
  const idx = new Array<number>(rank).fill(0);
  for (let k = 0; k < n; k++) {
    let ia = 0;
    let ib = 0;
    for (let i = 0; i < rank; i++) {
      ia += idx[i]! * sa[i]!;
      ib += idx[i]! * sb[i]!;
    }
    out[k] = round(a.values[ia]! * b.values[ib]!);
    for (let i = rank - 1; i >= 0; i--) {
      if (++idx[i]! < dims[i]!) break;
      idx[i] = 0;
    }
  }
  return { dtype: a.dtype, dims, values: out };
}

function reshapeDims(dims: readonly number[], shape: number[], allowZero: boolean, label: string): number[] {
  const n = dims.reduce((s, d) => s * d, 1);
  const out = shape.map((d, i) => (d === 0 && !allowZero ? dims[i]! : d));
  const known = out.filter((d) => d !== -1).reduce((s, d) => s * d, 1);
  const free = out.filter((d) => d === -1).length;
  if (free > 1 || out.some((d) => d < -1)) throw new NotConstant(`${label} has shape [${shape.join(', ')}]`);
  if (free === 1) out[out.indexOf(-1)] = known === 0 ? 0 : n / known;
  if (out.reduce((s, d) => s * d, 1) !== n || !out.every(Number.isInteger)) throw new NotConstant(`${label} cannot reshape [${dims.join(', ')}] to [${shape.join(', ')}]`);
  return out;
}

function transpose(v: ConstValue, perm: readonly number[], label: string): ConstValue {
  const rank = v.dims.length;
  if (perm.length !== rank || [...perm].sort((x, y) => x - y).some((p, i) => p !== i)) throw new NotConstant(`${label} has perm [${perm.join(', ')}] for rank ${rank}`);
  const dims = perm.map((p) => v.dims[p]!);
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1]! * v.dims[i + 1]!;
  const out = new Float64Array(v.values.length);
  const idx = new Array<number>(rank).fill(0);
  for (let k = 0; k < out.length; k++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += idx[i]! * inStrides[perm[i]!]!;
    out[k] = v.values[src]!;
    for (let i = rank - 1; i >= 0; i--) {
      if (++idx[i]! < dims[i]!) break;
      idx[i] = 0;
    }
  }
  return { dtype: v.dtype, dims, values: out };
}

function unsqueezeDims(dims: readonly number[], axes: number[] | undefined, label: string): number[] {
  if (!axes) throw new NotConstant(`${label} has no axes`);
  const rank = dims.length + axes.length;
  const norm = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(norm.has(i) ? 1 : dims[j++]!);
  if (j !== dims.length) throw new NotConstant(`${label} has axes [${axes.join(', ')}] that repeat`);
  return out;
}

function squeezeDims(dims: readonly number[], axes: number[] | undefined, label: string): number[] {
  if (!axes) return dims.filter((d) => d !== 1);
  const norm = new Set(axes.map((a) => (a < 0 ? a + dims.length : a)));
  for (const a of norm) if (dims[a] !== 1) throw new NotConstant(`${label} squeezes axis ${a} of size ${dims[a]}`);
  return dims.filter((_d, i) => !norm.has(i));
}
