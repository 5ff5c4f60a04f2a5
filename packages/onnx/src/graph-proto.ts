/**
 * GraphProto/NodeProto/AttributeProto/ValueInfoProto bytes ↔ OnnxGraph, losslessly. Each message is
 * split into wire fields (wire-fields.ts): the fields onebit interprets become plain data, every other
 * field (sparse_initializer, quantization_annotation, doc strings and denotations onebit has no slot
 * for, metadata_props, fields of newer ONNX versions, unknown fields) is kept byte for byte in the
 * object's `passThrough` and written back. An object left unchanged is written back as its original
 * bytes; a changed one is re-encoded from its plain data plus its passThrough. Subgraphs of
 * If/Loop/Scan are nested OnnxGraphs; their values may be untyped (elemType undefined).
 */
import { LimitError, type TensorBudget, UnsupportedError } from '@onebit/core';
import { DATA_TYPE, dtypeOfDataType, isKnownDataType } from './data-type.js';
import { int64ToBigInt } from './int64.js';
import type { OnnxAttribute, OnnxGraph, OnnxInitializer, OnnxNode, ValueInfo } from './model.js';
import { proto } from './proto.js';
import protobuf from 'protobufjs/minimal.js';
import { decodeTensorBytes, encodeTensorBytes } from './tensor-proto.js';
import { type WireField, assemble, bytesEqual, concat, messageField, payload, pick, rest, splitFields } from './wire-fields.js';

/** Subgraphs nested deeper than this are refused (a corrupt or hostile file could recurse). */
export const MAX_GRAPH_DEPTH = 64;

const AT = proto.AttributeProto.AttributeType;

/** Original bytes and the re-encoding of the plain data as decoded: equal re-encoding ⇒ write the original. */
const SOURCE = new WeakMap<object, { bytes: Uint8Array; baseline: Uint8Array }>();

/** Writes `view` as `encoded`, or as its original bytes when its plain data is unchanged since decoding. */
function original(view: object, encoded: Uint8Array): Uint8Array {
  const source = SOURCE.get(view);
  return source && bytesEqual(source.baseline, encoded) ? source.bytes : encoded;
}

/**
 * True while remember() encodes a view just decoded: its children were decoded and remembered
 * first and are unchanged, so their source bytes stand for them. Without this, remembering each
 * level re-encoded everything below it (quadratic in subgraph depth: a 2 KB model with 64 nested
 * If bodies took over a second to decode — a fuzz CI slice timeout).
 */
let encodingFresh = false;

/** The source bytes of `view` while remember() encodes its just-decoded parent, else undefined. */
function freshSource(view: object): Uint8Array | undefined {
  return encodingFresh ? SOURCE.get(view)?.bytes : undefined;
}

function remember<T extends object>(view: T, bytes: Uint8Array, encode: (v: T) => Uint8Array): T {
  const outer = encodingFresh;
  encodingFresh = true;
  try {
    SOURCE.set(view, { bytes, baseline: encode(view) });
  } finally {
    encodingFresh = outer;
  }
  return view;
}

const field = (number: number, bytes: Uint8Array): WireField => ({ number, bytes });

/**
 * Which fields a decoded message had, keyed by an object its copies share (a graph's `nodes`, a
 * node's `attributes`), so an empty string is written back only where it was; objects built in
 * code write every string field, as onebit always has.
 */
const PRESENT = new WeakMap<object, ReadonlySet<number>>();
function optionalString(value: string, key: object, number: number): string | undefined {
  const present = PRESENT.get(key);
  return value !== '' || !present || present.has(number) ? value : undefined;
}
const scalarFields = (bytes: Uint8Array): WireField[] => splitFields(bytes, 'a re-encoded message');

// ---- GraphProto: node 1, name 2, initializer 5, doc_string 10, input 11, output 12, value_info 13
const GRAPH_INTERPRETED = new Set([1, 2, 5, 10, 11, 12, 13]);

/** Decodes GraphProto bytes; `budget` (decodeModel's maxTensorBytes) is charged for every tensor decoded, subgraphs included. */
export function decodeGraph(bytes: Uint8Array, depth = 0, budget?: TensorBudget): OnnxGraph {
  const fields = splitFields(bytes, 'a GraphProto');
  const scalars = proto.GraphProto.decode(pick(fields, new Set([2, 10])));
  const name = scalars.name ?? '';
  if (depth > MAX_GRAPH_DEPTH) throw new LimitError(`ONNX: graph "${name}" is nested more than ${MAX_GRAPH_DEPTH} subgraphs deep.`);
  const of = (n: number): Uint8Array[] => fields.filter((f) => f.number === n).map(payload);
  const initializers: OnnxInitializer[] = [];
  const carried: Uint8Array[] = [];
  const anchors: (string | undefined)[] = [];
  of(5).forEach((t, i) => {
    const init = decodeTensorBytes(t, `initializer ${i} of graph "${name}"`, budget);
    if (init) initializers.push(init);
    else {
      // a data type or layout onebit does not interpret: kept whole, written back after the same neighbour
      carried.push(messageField(5, t));
      anchors.push(initializers[initializers.length - 1]?.name);
    }
  });
  const passThrough = concatOptional(rest(fields, GRAPH_INTERPRETED), carried);
  if (passThrough && anchors.length) CARRIED_ANCHORS.set(passThrough, anchors);
  const graph: OnnxGraph = {
    name,
    nodes: of(1).map((n, i) => decodeNode(n, i, depth, budget)),
    initializers,
    inputs: of(11).map((v) => decodeValueInfo(v)),
    outputs: of(12).map((v) => decodeValueInfo(v)),
    valueInfo: of(13).map((v) => decodeValueInfo(v)),
    docString: scalars.docString ?? '',
  };
  if (passThrough) graph.passThrough = passThrough;
  PRESENT.set(graph.nodes, new Set(fields.map((f) => f.number)));
  return remember(graph, bytes, encodeGraphBytes);
}

function concatOptional(first: Uint8Array | undefined, more: Uint8Array[]): Uint8Array | undefined {
  const parts = first ? [first, ...more] : more;
  return parts.length ? concat(parts) : undefined;
}

/** For a graph passThrough holding carried initializers: the name of the initializer each one followed. */
const CARRIED_ANCHORS = new WeakMap<Uint8Array, (string | undefined)[]>();

/** Interpreted and carried initializers (field 5) in their original order; the other carried fields. */
function initializerFields(g: OnnxGraph): { initializers: WireField[]; others: Uint8Array | undefined } {
  const initializers = g.initializers.map((t) => field(5, messageField(5, encodeTensorBytes(t))));
  if (!g.passThrough) return { initializers, others: undefined };
  const carried = splitFields(g.passThrough, `the carried fields of graph "${g.name}"`);
  const anchors = CARRIED_ANCHORS.get(g.passThrough) ?? [];
  const names = g.initializers.map((t) => t.name);
  const after = new Map<number, WireField[]>(); // index in initializers (−1: before all) → carried fields
  let k = 0;
  for (const f of carried.filter((c) => c.number === 5)) {
    const anchor = anchors[k++];
    const at = anchor === undefined ? -1 : names.indexOf(anchor) >= 0 ? names.indexOf(anchor) : names.length - 1;
    after.set(at, [...(after.get(at) ?? []), f]);
  }
  const ordered = [...(after.get(-1) ?? [])];
  initializers.forEach((f, i) => ordered.push(f, ...(after.get(i) ?? [])));
  const others = carried.filter((c) => c.number !== 5);
  return { initializers: ordered, others: others.length ? concatOptional(undefined, others.map((o) => o.bytes)) : undefined };
}

export function encodeGraphBytes(g: OnnxGraph): Uint8Array {
  const fresh = freshSource(g);
  if (fresh) return fresh;
  const { initializers, others } = initializerFields(g);
  const known: WireField[] = [
    ...g.nodes.map((n) => field(1, messageField(1, encodeNodeBytes(n)))),
    ...scalarFields(proto.GraphProto.encode({ name: optionalString(g.name, g.nodes, 2), docString: optionalString(g.docString, g.nodes, 10) }).finish()),
    ...initializers,
    ...g.inputs.map((v) => field(11, messageField(11, encodeValueInfoBytes(v)))),
    ...g.outputs.map((v) => field(12, messageField(12, encodeValueInfoBytes(v)))),
    ...g.valueInfo.map((v) => field(13, messageField(13, encodeValueInfoBytes(v)))),
  ];
  return original(g, assemble(known, others));
}

// ---- NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, doc_string 6, domain 7
const NODE_SCALARS = new Set([1, 2, 3, 4, 6, 7]);
const NODE_INTERPRETED = new Set([1, 2, 3, 4, 5, 6, 7]);

function decodeNode(bytes: Uint8Array, index: number, depth: number, budget: TensorBudget | undefined): OnnxNode {
  const fields = splitFields(bytes, `node ${index}`);
  const p = proto.NodeProto.decode(pick(fields, NODE_SCALARS));
  const outputs = p.output ?? [];
  const label = p.name ? `node "${p.name}"` : outputs[0] ? `the node making "${outputs[0]}"` : `node ${index}`;
  const attributes: Record<string, OnnxAttribute> = {};
  for (const a of fields.filter((f) => f.number === 5).map(payload)) {
    const [name, value] = decodeAttribute(a, label, depth, budget);
    attributes[name] = value;
  }
  const node: OnnxNode = {
    name: p.name ?? '',
    opType: p.opType ?? '',
    domain: p.domain ?? '',
    inputs: [...(p.input ?? [])],
    outputs: [...outputs],
    attributes,
    docString: p.docString ?? '',
  };
  const passThrough = rest(fields, NODE_INTERPRETED);
  if (passThrough) node.passThrough = passThrough;
  PRESENT.set(node.attributes, new Set(fields.map((f) => f.number)));
  return remember(node, bytes, encodeNodeBytes);
}

function encodeNodeBytes(n: OnnxNode): Uint8Array {
  const fresh = freshSource(n);
  if (fresh) return fresh;
  const known: WireField[] = [
    ...scalarFields(proto.NodeProto.encode({
      input: n.inputs, output: n.outputs, name: optionalString(n.name, n.attributes, 3), opType: optionalString(n.opType, n.attributes, 4),
      docString: optionalString(n.docString, n.attributes, 6), domain: optionalString(n.domain, n.attributes, 7),
    }).finish()),
    ...Object.entries(n.attributes).map(([name, a]) => field(5, messageField(5, encodeAttributeBytes(name, a)))),
  ];
  return original(n, assemble(known, n.passThrough));
}

// ---- AttributeProto: name 1, f 2, i 3, s 4, t 5, g 6, floats 7, ints 8, strings 9, tensors 10, graphs 11, type 20
const ATTRIBUTE_SCALARS = new Set([1, 2, 3, 4, 7, 8, 9, 20]);
const ATTRIBUTE_INTERPRETED = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 20]);
const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();
const has = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function decodeAttribute(bytes: Uint8Array, node: string, depth: number, budget: TensorBudget | undefined): [string, OnnxAttribute] {
  const fields = splitFields(bytes, `an attribute of ${node}`);
  const a = proto.AttributeProto.decode(pick(fields, ATTRIBUTE_SCALARS));
  const name = a.name ?? '';
  const label = `attribute "${name}" of ${node}`;
  const sub = (n: number): Uint8Array[] => fields.filter((f) => f.number === n).map(payload);
  const type = a.type || inferType(a, sub);
  const tensor = (t: Uint8Array, what: string): OnnxInitializer | undefined => decodeTensorBytes(t, what, budget);
  let value: OnnxAttribute | undefined;
  switch (type) {
    case AT.FLOAT: value = { type: 'float', value: a.f ?? 0 }; break;
    case AT.INT: {
      const big = int64ToBigInt(a.i);
      value = big > SAFE || big < -SAFE ? { type: 'int', value: Number(big), int64: big } : { type: 'int', value: Number(big) };
      break;
    }
    case AT.STRING: value = { type: 'string', value: utf8.decode(a.s ?? new Uint8Array()) }; break;
    case AT.TENSOR: {
      const t = tensor(sub(5)[0] ?? new Uint8Array(), `the tensor of ${label}`);
      value = t && { type: 'tensor', value: t };
      break;
    }
    case AT.GRAPH: value = { type: 'graph', value: decodeGraph(sub(6)[0] ?? new Uint8Array(), depth + 1, budget) }; break;
    case AT.FLOATS: value = { type: 'floats', value: [...(a.floats ?? [])] }; break;
    case AT.INTS: {
      const bigs = (a.ints ?? []).map((v) => int64ToBigInt(v));
      value = bigs.some((b) => b > SAFE || b < -SAFE) ? { type: 'ints', value: bigs.map(Number), int64: bigs } : { type: 'ints', value: bigs.map(Number) };
      break;
    }
    case AT.STRINGS: value = { type: 'strings', value: (a.strings ?? []).map((s) => utf8.decode(s)) }; break;
    case AT.TENSORS: {
      const ts = sub(10).map((t, i) => tensor(t, `tensor ${i} of ${label}`));
      value = ts.every((t) => t) ? { type: 'tensors', value: ts as OnnxInitializer[] } : undefined;
      break;
    }
    case AT.GRAPHS: value = { type: 'graphs', value: sub(11).map((g) => decodeGraph(g, depth + 1, budget)) }; break;
    default: break;
  }
  // TYPE_PROTO(S), SPARSE_TENSOR(S), ref_attr_name, a tensor onebit cannot interpret, a future type: kept whole
  if (!value || fields.some((f) => f.number === 21)) return [name, { type: 'other', value: bytes }];
  const passThrough = rest(fields, ATTRIBUTE_INTERPRETED);
  if (passThrough) value.passThrough = passThrough;
  return [name, remember(value, bytes, (v) => encodeAttributeBytes(name, v))];
}

/** Attributes written before IR version 2 have no `type`; it follows from the field that is set. */
function inferType(a: { floats?: unknown[] | null; ints?: unknown[] | null; strings?: unknown[] | null }, sub: (n: number) => Uint8Array[]): number {
  if (a.floats?.length) return AT.FLOATS;
  if (a.ints?.length) return AT.INTS;
  if (a.strings?.length) return AT.STRINGS;
  if (sub(10).length) return AT.TENSORS;
  if (sub(11).length) return AT.GRAPHS;
  if (sub(5).length) return AT.TENSOR;
  if (sub(6).length) return AT.GRAPH;
  if (has(a, 's')) return AT.STRING;
  if (has(a, 'i')) return AT.INT;
  if (has(a, 'f')) return AT.FLOAT;
  return AT.UNDEFINED;
}

/** An int64 written exactly: the decoded bigint while the number still says the same, else the number. */
function exactInt(value: number, int64: bigint | undefined): number | { low: number; high: number; unsigned: boolean } {
  const big = int64 !== undefined && Number(int64) === value ? int64 : BigInt(value);
  const u = BigInt.asUintN(64, big);
  return { low: Number(u & 0xffffffffn) | 0, high: Number(u >> 32n) | 0, unsigned: false };
}

function encodeAttributeBytes(name: string, a: OnnxAttribute): Uint8Array {
  const fresh = freshSource(a);
  if (fresh) return fresh;
  if (a.type === 'other') return a.value;
  const scalars = (p: Record<string, unknown>): WireField[] => scalarFields(proto.AttributeProto.encode({ name, ...p }).finish());
  let known: WireField[];
  switch (a.type) {
    case 'float': known = scalars({ type: AT.FLOAT, f: a.value }); break;
    case 'int': known = scalars({ type: AT.INT, i: exactInt(a.value, a.int64) }); break;
    case 'string': known = scalars({ type: AT.STRING, s: utf8Encoder.encode(a.value) }); break;
    case 'tensor': known = [...scalars({ type: AT.TENSOR }), field(5, messageField(5, encodeTensorBytes(a.value)))]; break;
    case 'graph': known = [...scalars({ type: AT.GRAPH }), field(6, messageField(6, encodeGraphBytes(a.value)))]; break;
    // repeated scalars unpacked, as proto2 writers (onnx's C++ and Python) do
    case 'floats': known = [...scalars({ type: AT.FLOATS }), ...a.value.map((v) => field(7, protobuf.Writer.create().uint32((7 << 3) | 5).float(v).finish()))]; break;
    case 'ints': known = [...scalars({ type: AT.INTS }), ...a.value.map((v, i) => field(8, protobuf.Writer.create().uint32(8 << 3).int64(exactInt(v, a.int64?.[i]) as never).finish()))]; break;
    case 'strings': known = scalars({ type: AT.STRINGS, strings: a.value.map((s) => utf8Encoder.encode(s)) }); break;
    case 'tensors': known = [...scalars({ type: AT.TENSORS }), ...a.value.map((t) => field(10, messageField(10, encodeTensorBytes(t))))]; break;
    case 'graphs': known = [...scalars({ type: AT.GRAPHS }), ...a.value.map((g) => field(11, messageField(11, encodeGraphBytes(g))))]; break;
  }
  return original(a, assemble(known, a.passThrough));
}

// ---- ValueInfoProto: name 1, type 2 (a tensor type onebit reads; any other type is carried whole)
function decodeValueInfo(bytes: Uint8Array): ValueInfo {
  const fields = splitFields(bytes, 'a ValueInfoProto');
  const p = proto.ValueInfoProto.decode(bytes);
  const info: ValueInfo = { name: p.name ?? '' };
  const typeField = fields.find((f) => f.number === 2);
  Object.assign(info, viewOfType(p.type ?? undefined, info.name));
  // the type is interpreted only when re-encoding the view gives it back exactly (no denotations, known element type)
  const interpreted = typeField !== undefined && fields.filter((f) => f.number === 2).length === 1 && info.elemType !== undefined &&
    bytesEqual(typeField.bytes, messageField(2, encodeTypeBytes(info)));
  const passThrough = rest(fields, interpreted ? new Set([1, 2]) : new Set([1]));
  if (passThrough) info.passThrough = passThrough;
  return remember(info, bytes, encodeValueInfoBytes);
}

/** elemType and dims of a tensor type with a known element type; nothing for other or missing types. */
function viewOfType(type: import('./proto.js').onnx.ITypeProto | undefined, name: string): Pick<ValueInfo, 'elemType' | 'dims'> {
  const t = type?.tensorType;
  if (!t || !isKnownDataType(t.elemType ?? 0)) return {};
  const view: Pick<ValueInfo, 'elemType' | 'dims'> = { elemType: dtypeOfDataType(t.elemType ?? 0, `value "${name}"`) };
  if (t.shape) {
    view.dims = (t.shape.dim ?? []).map((d) => {
      if (has(d, 'dimValue')) {
        const v = int64ToBigInt(d.dimValue);
        return v <= SAFE && v >= -SAFE ? Number(v) : undefined;
      }
      if (has(d, 'dimParam')) return d.dimParam ?? '';
      return undefined;
    });
  }
  return view;
}

function encodeTypeBytes(v: ValueInfo): Uint8Array {
  const tensorType: Record<string, unknown> = { elemType: DATA_TYPE[v.elemType!] };
  if (v.dims) tensorType['shape'] = { dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {})) };
  return proto.TypeProto.encode({ tensorType }).finish();
}

function encodeValueInfoBytes(v: ValueInfo): Uint8Array {
  const fresh = freshSource(v);
  if (fresh) return fresh;
  const carried = v.passThrough ? splitFields(v.passThrough, `the carried fields of value "${v.name}"`) : [];
  const carriedType = carried.find((f) => f.number === 2);
  const known: WireField[] = scalarFields(proto.ValueInfoProto.encode({ name: v.name }).finish());
  if (carriedType) {
    // a type onebit does not fully interpret is written as it was; refuse to silently drop a change to it
    const was = viewOfType(proto.TypeProto.decode(payload(carriedType)), v.name);
    if (was.elemType !== v.elemType || JSON.stringify(was.dims) !== JSON.stringify(v.dims)) {
      throw new UnsupportedError(`ONNX: the type of value "${v.name}" has parts onebit does not interpret (denotations, or a non-tensor or unknown element type), so it cannot be changed to ${v.elemType ?? 'untyped'}; leave it unchanged.`);
    }
  } else if (v.elemType !== undefined) {
    known.push(field(2, messageField(2, encodeTypeBytes(v))));
  }
  return original(v, assemble(known, v.passThrough));
}
