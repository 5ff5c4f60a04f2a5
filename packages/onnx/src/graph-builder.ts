/**
 * GraphBuilder: assembles a single-graph OnnxModel node by node, the way onnxruntime's op tests
 * turn small data into one-node models. Value names are unique across inputs, initializers and
 * node outputs (a duplicate throws RangeError); unnamed outputs get `${nodeName}_out` names.
 * Attribute types are inferred from JavaScript values; floatAttr/floatsAttr force FLOAT(S).
 */
import { type DType, type Tensor, elementCount } from '@onebit/core';
import { irVersionForOpset } from './ir-version.js';
import type { OnnxAttribute, OnnxGraph, OnnxInitializer, OnnxModel, OnnxNode, ValueInfo } from './model.js';

/** What node() accepts as an attribute value. */
export type AttrInput = number | readonly number[] | string | readonly string[] | Tensor | OnnxAttribute;

export interface NodeOptions {
  name?: string;
  /** Output names, or how many auto-named outputs to create (default 1). */
  outputs?: string[] | number;
  domain?: string;
}

export interface BuildOptions {
  /** Default-domain opset (default 13). */
  opset?: number;
  /** Extra operator sets, e.g. [{ domain: 'com.microsoft', version: 1 }]. */
  extraOpsets?: { domain: string; version: number }[];
  producerName?: string;
  producerVersion?: string;
  /** Defaults to irVersionForOpset(opset). */
  irVersion?: number;
  metadata?: Record<string, string>;
  docString?: string;
}

/** Forces a FLOAT attribute, e.g. floatAttr(1) for `alpha` where 1 would otherwise be an INT. */
export function floatAttr(x: number): OnnxAttribute {
  return { type: 'float', value: x };
}
/** Forces a FLOATS attribute. */
export function floatsAttr(xs: readonly number[]): OnnxAttribute {
  return { type: 'floats', value: [...xs] };
}

export class GraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxInitializer[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly values = new Set<string>();
  private readonly nodeNames = new Set<string>();

  constructor(readonly name: string) {}

  /** True when `name` is already an input, initializer or node output. */
  has(name: string): boolean {
    return this.values.has(name);
  }

  input(name: string, dtype: DType, dims: Array<number | string | undefined>): string {
    this.claim(name, `input "${name}"`);
    this.inputs.push({ name, elemType: dtype, dims: [...dims] });
    return name;
  }

  /** Declares float32 initializer `name` of shape `dims` without data: a BinaryGraph's binary weight (see binary-graph.ts). */
  binaryWeightSlot(name: string, dims: readonly number[]): string {
    this.claim(name, `initializer "${name}"`);
    this.initializers.push({ name, tensor: { dtype: 'float32', dims: [...dims], data: new Float32Array(0) } });
    return name;
  }

  initializer(name: string, tensor: Tensor): string {
    if (tensor.data.length !== elementCount(tensor.dims)) {
      throw new RangeError(`initializer "${name}" of shape [${tensor.dims.join(', ')}] needs ${elementCount(tensor.dims)} elements but has ${tensor.data.length}.`);
    }
    this.claim(name, `initializer "${name}"`);
    this.initializers.push({ name, tensor: { ...tensor, dims: [...tensor.dims] } as Tensor });
    return name;
  }

  /** Adds a node and returns its first output's name. */
  node(opType: string, inputs: string[], attributes: Record<string, AttrInput> = {}, opts: NodeOptions = {}): string {
    const name = opts.name ?? this.uniqueNodeName(opType);
    // '' leaves the node unnamed (NodeProto.name is optional); any other name must be unique.
    if (name !== '' && this.nodeNames.has(name)) throw new RangeError(`node name "${name}" is already used in graph "${this.name}".`);
    for (const input of inputs) {
      if (input !== '' && !this.values.has(input)) throw new RangeError(`input "${input}" of node "${name}" is not a value of graph "${this.name}" yet.`);
    }
    const outs = Array.isArray(opts.outputs) ? [...opts.outputs] : this.autoOutputs(name, opts.outputs ?? 1);
    if (outs.length === 0) throw new RangeError(`node "${name}" needs at least one output.`);
    const attrs: Record<string, OnnxAttribute> = {};
    for (const [key, value] of Object.entries(attributes)) attrs[key] = toAttribute(value, key, name);
    for (const out of outs) this.claim(out, `output "${out}" of node "${name}"`);
    if (name !== '') this.nodeNames.add(name);
    this.nodes.push({ name, opType, domain: opts.domain ?? '', inputs: [...inputs], outputs: outs, attributes: attrs, docString: '' });
    return outs[0]!;
  }

  /** Declares a graph output `name`; when `from` is another value, an Identity copies it to `name`. */
  output(name: string, dtype: DType, dims: Array<number | string | undefined>, from?: string): string {
    if (from !== undefined && from !== name) this.node('Identity', [from], {}, { outputs: [name] });
    else if (!this.values.has(name)) throw new RangeError(`output "${name}" is not a value of graph "${this.name}".`);
    if (this.outputs.some((o) => o.name === name)) throw new RangeError(`output "${name}" is already declared.`);
    this.outputs.push({ name, elemType: dtype, dims: [...dims] });
    return name;
  }

  /** The graph so far (a snapshot; later calls do not change it). */
  graph(): OnnxGraph {
    return {
      name: this.name,
      nodes: this.nodes.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs], attributes: { ...n.attributes } })),
      initializers: [...this.initializers],
      inputs: this.inputs.map((v) => ({ ...v })),
      outputs: this.outputs.map((v) => ({ ...v })),
      valueInfo: [],
      docString: '',
    };
  }

  build(options: BuildOptions = {}): OnnxModel {
    const opset = options.opset ?? 13;
    return {
      irVersion: options.irVersion ?? irVersionForOpset(opset),
      opsetImports: [{ domain: '', version: opset }, ...(options.extraOpsets ?? [])],
      producerName: options.producerName ?? 'onebit',
      producerVersion: options.producerVersion ?? '',
      domain: '',
      modelVersion: 0,
      docString: options.docString ?? '',
      metadata: { ...(options.metadata ?? {}) },
      graph: this.graph(),
    };
  }

  /** Reserves value `name`; `what` describes it for the error, e.g. `initializer "w"`. */
  private claim(name: string, what: string): void {
    if (name === '') throw new RangeError(`${what} of graph "${this.name}" has an empty name.`);
    if (this.values.has(name)) throw new RangeError(`${what} reuses a value name already in graph "${this.name}".`);
    this.values.add(name);
  }

  private uniqueNodeName(opType: string): string {
    let k = this.nodes.length;
    while (this.nodeNames.has(`${opType}_${k}`)) k++;
    return `${opType}_${k}`;
  }

  private autoOutputs(nodeName: string, count: number): string[] {
    const base = count === 1 ? [`${nodeName}_out`] : Array.from({ length: count }, (_, i) => `${nodeName}_out${i}`);
    return base.map((b) => {
      let candidate = b;
      for (let k = 1; this.values.has(candidate); k++) candidate = `${b}_${k}`;
      return candidate;
    });
  }
}

function toAttribute(value: AttrInput, key: string, node: string): OnnxAttribute {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return { type: 'float', value };
    if (!Number.isSafeInteger(value)) throw new RangeError(`attribute "${key}" of node "${node}" is ${value}, not an exact integer.`);
    return { type: 'int', value };
  }
  if (typeof value === 'string') return { type: 'string', value };
  if (Array.isArray(value)) {
    const xs = value as readonly unknown[];
    if (xs.every((x) => typeof x === 'string')) return xs.length === 0 ? { type: 'ints', value: [] } : { type: 'strings', value: [...(xs as string[])] };
    if (!xs.every((x) => typeof x === 'number')) throw new TypeError(`attribute "${key}" of node "${node}" mixes numbers and strings.`);
    const nums = xs as number[];
    if (nums.every(Number.isInteger)) {
      const bad = nums.find((x) => !Number.isSafeInteger(x));
      if (bad !== undefined) throw new RangeError(`attribute "${key}" of node "${node}" holds ${bad}, not an exact integer.`);
      return { type: 'ints', value: [...nums] };
    }
    return { type: 'floats', value: [...nums] };
  }
  if ('dtype' in value && 'data' in value) return { type: 'tensor', value: { name: '', tensor: value } };
  if ('type' in value && 'value' in value) return value;
  throw new TypeError(`attribute "${key}" of node "${node}" has a value of unknown kind.`);
}
