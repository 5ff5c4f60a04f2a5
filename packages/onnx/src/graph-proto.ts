/**
 * GraphProto ↔ OnnxGraph, with its nodes, attributes (subgraphs of If/Loop/Scan kept as nested
 * OnnxGraphs) and value infos. Names in messages are the node's name, else its first output.
 */
import { FormatError, LimitError, UnsupportedError } from '@onebit/core';
import { DATA_TYPE, dtypeOfDataType } from './data-type.js';
import { int64ToNumber } from './int64.js';
import type { OnnxAttribute, OnnxGraph, OnnxNode, ValueInfo } from './model.js';
import { type onnx, proto } from './proto.js';
import { decodeTensorProto, encodeTensorProto } from './tensor-proto.js';

/** Subgraphs nested deeper than this are refused (a corrupt or hostile file could recurse). */
export const MAX_GRAPH_DEPTH = 64;

const AT = proto.AttributeProto.AttributeType;
const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();
const has = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

export function decodeGraph(p: onnx.IGraphProto, depth = 0): OnnxGraph {
  const name = p.name ?? '';
  if (depth > MAX_GRAPH_DEPTH) throw new LimitError(`ONNX: graph "${name}" is nested more than ${MAX_GRAPH_DEPTH} subgraphs deep.`);
  return {
    name,
    nodes: (p.node ?? []).map((n, i) => decodeNode(n, i, depth)),
    initializers: (p.initializer ?? []).map((t, i) => decodeTensorProto(t, `initializer ${i} of graph "${name}"`)),
    inputs: (p.input ?? []).map((v) => decodeValueInfo(v)),
    outputs: (p.output ?? []).map((v) => decodeValueInfo(v)),
    valueInfo: (p.valueInfo ?? []).map((v) => decodeValueInfo(v)),
    docString: p.docString ?? '',
  };
}

function decodeNode(p: onnx.INodeProto, index: number, depth: number): OnnxNode {
  const outputs = p.output ?? [];
  const label = p.name ? `node "${p.name}"` : outputs[0] ? `the node making "${outputs[0]}"` : `node ${index}`;
  const attributes: Record<string, OnnxAttribute> = {};
  for (const a of p.attribute ?? []) attributes[a.name ?? ''] = decodeAttribute(a, label, depth);
  return {
    name: p.name ?? '',
    opType: p.opType ?? '',
    domain: p.domain ?? '',
    inputs: [...(p.input ?? [])],
    outputs: [...outputs],
    attributes,
    docString: p.docString ?? '',
  };
}

function decodeAttribute(a: onnx.IAttributeProto, node: string, depth: number): OnnxAttribute {
  const label = `attribute "${a.name ?? ''}" of ${node}`;
  const ints = (xs: onnx.IAttributeProto['ints']): number[] => (xs ?? []).map((v, i) => int64ToNumber(v, `value ${i} of ${label}`));
  switch (a.type || inferType(a)) {
    case AT.FLOAT: return { type: 'float', value: a.f ?? 0 };
    case AT.INT: return { type: 'int', value: int64ToNumber(a.i, label) };
    case AT.STRING: return { type: 'string', value: utf8.decode(a.s ?? new Uint8Array()) };
    case AT.TENSOR: return { type: 'tensor', value: decodeTensorProto(a.t ?? {}, `the tensor of ${label}`) };
    case AT.GRAPH: return { type: 'graph', value: decodeGraph(a.g ?? {}, depth + 1) };
    case AT.FLOATS: return { type: 'floats', value: [...(a.floats ?? [])] };
    case AT.INTS: return { type: 'ints', value: ints(a.ints) };
    case AT.STRINGS: return { type: 'strings', value: (a.strings ?? []).map((s) => utf8.decode(s)) };
    case AT.TENSORS: return { type: 'tensors', value: (a.tensors ?? []).map((t, i) => decodeTensorProto(t, `tensor ${i} of ${label}`)) };
    case AT.GRAPHS: return { type: 'graphs', value: (a.graphs ?? []).map((g) => decodeGraph(g, depth + 1)) };
    case AT.UNDEFINED: throw new FormatError('ONNX', `${label} has no type and no value.`);
    default: throw new UnsupportedError(`ONNX: ${label} has attribute type ${a.type} (${AT[a.type as number] ?? 'unknown'}), which onebit does not support.`);
  }
}

/** Attributes written before IR version 2 have no `type`; it follows from the field that is set. */
function inferType(a: onnx.IAttributeProto): number {
  if (a.floats?.length) return AT.FLOATS;
  if (a.ints?.length) return AT.INTS;
  if (a.strings?.length) return AT.STRINGS;
  if (a.tensors?.length) return AT.TENSORS;
  if (a.graphs?.length) return AT.GRAPHS;
  if (a.t) return AT.TENSOR;
  if (a.g) return AT.GRAPH;
  if (has(a, 's')) return AT.STRING;
  if (has(a, 'i')) return AT.INT;
  if (has(a, 'f')) return AT.FLOAT;
  return AT.UNDEFINED;
}

function decodeValueInfo(p: onnx.IValueInfoProto): ValueInfo {
  const name = p.name ?? '';
  const t = p.type?.tensorType;
  if (!t) {
    const kind = p.type?.sequenceType ? 'sequence' : p.type?.mapType ? 'map' : p.type?.optionalType ? 'optional' : p.type?.sparseTensorType ? 'sparse tensor' : 'missing';
    throw new UnsupportedError(`ONNX: value "${name}" has a ${kind} type; onebit supports tensor values only.`);
  }
  const info: ValueInfo = { name, elemType: dtypeOfDataType(t.elemType ?? 0, `value "${name}"`) };
  if (t.shape) {
    info.dims = (t.shape.dim ?? []).map((d, i) => {
      if (has(d, 'dimValue')) return int64ToNumber(d.dimValue, `dimension ${i} of value "${name}"`);
      if (has(d, 'dimParam')) return d.dimParam ?? '';
      return undefined;
    });
  }
  return info;
}

export function encodeGraph(g: OnnxGraph): onnx.IGraphProto {
  return {
    name: g.name,
    node: g.nodes.map(encodeNode),
    initializer: g.initializers.map(encodeTensorProto),
    input: g.inputs.map(encodeValueInfo),
    output: g.outputs.map(encodeValueInfo),
    valueInfo: g.valueInfo.map(encodeValueInfo),
    docString: g.docString,
  };
}

function encodeNode(n: OnnxNode): onnx.INodeProto {
  return {
    name: n.name,
    opType: n.opType,
    domain: n.domain,
    input: [...n.inputs],
    output: [...n.outputs],
    attribute: Object.entries(n.attributes).map(([name, a]) => encodeAttribute(name, a)),
    docString: n.docString,
  };
}

function encodeAttribute(name: string, a: OnnxAttribute): onnx.IAttributeProto {
  switch (a.type) {
    case 'float': return { name, type: AT.FLOAT, f: a.value };
    case 'int': return { name, type: AT.INT, i: a.value };
    case 'string': return { name, type: AT.STRING, s: utf8Encoder.encode(a.value) };
    case 'tensor': return { name, type: AT.TENSOR, t: encodeTensorProto(a.value) };
    case 'graph': return { name, type: AT.GRAPH, g: encodeGraph(a.value) };
    case 'floats': return { name, type: AT.FLOATS, floats: [...a.value] };
    case 'ints': return { name, type: AT.INTS, ints: [...a.value] };
    case 'strings': return { name, type: AT.STRINGS, strings: a.value.map((s) => utf8Encoder.encode(s)) };
    case 'tensors': return { name, type: AT.TENSORS, tensors: a.value.map(encodeTensorProto) };
    case 'graphs': return { name, type: AT.GRAPHS, graphs: a.value.map(encodeGraph) };
  }
}

function encodeValueInfo(v: ValueInfo): onnx.IValueInfoProto {
  const tensorType: onnx.TypeProto.ITensor = { elemType: DATA_TYPE[v.elemType] };
  if (v.dims) {
    tensorType.shape = { dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {})) };
  }
  return { name: v.name, type: { tensorType } };
}
