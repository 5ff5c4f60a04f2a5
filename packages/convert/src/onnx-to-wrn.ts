/**
 * Reads a WrnNetwork back out of an ONNX model that onebit emitted for the authors' WRNs
 * (metadata `onebit.family`), packed or float: the node sequence Mul/Add[/Relu] (folded batch
 * norm), Conv, AveragePool/Pad/Add (shortcut), ReduceSum/ReduceMean is walked in order and the
 * binary weights are taken from the `.bits`/`.scale` initializers (packed) or recognised as ±scale
 * (float). This is what makes .onebit → .onnx → .onebit bit-exact.
 */
import { detectBinary } from '@onebit/binarize';
import { ModelError, type Tensor } from '@onebit/core';
import type { OnnxModel, OnnxNode } from '@onebit/onnx';
import type { Layer, Pads, WrnNetwork } from '@onebit/wrn';
import type { BinaryWeight } from '@onebit/bits';

export function isOnebitWrnOnnx(model: OnnxModel): boolean {
  const f = model.metadata['onebit.family'];
  return f === 'mcdonnell-matlab-wrn' || f === 'mcdonnell-keras-wrn';
}

export function onnxToWrn(model: OnnxModel): WrnNetwork {
  const family = model.metadata['onebit.family'];
  if (family !== 'mcdonnell-matlab-wrn' && family !== 'mcdonnell-keras-wrn') {
    throw new ModelError(`This ONNX model was not written by onebit for a WRN (metadata onebit.family is ${JSON.stringify(family)}).`);
  }
  const inits = new Map(model.graph.initializers.map((i) => [i.name, i.tensor]));
  const producer = new Map<string, OnnxNode>();
  for (const n of model.graph.nodes) for (const o of n.outputs) producer.set(o, n);
  const floatInit = (name: string): Float32Array => {
    const t = inits.get(name);
    if (t?.dtype !== 'float32') throw new ModelError(`The ONNX model has no float32 initializer '${name}'.`, name);
    return t.data;
  };
  const ints = (n: OnnxNode, key: string): number[] => {
    const a = n.attributes[key];
    return a?.type === 'ints' ? a.value : [];
  };

  const layers: Layer[] = [];
  /** Value name → index in `layers` after which it is available (for placing save-residual). */
  const producedAfter = new Map<string, number>();
  let lastResidualOutput: string | undefined;
  const input = model.graph.inputs[0];
  if (!input) throw new ModelError('The ONNX model has no input.');
  producedAfter.set(input.name, -1);
  const nodes = model.graph.nodes;
  for (let k = 0; k < nodes.length; k++) {
    const n = nodes[k]!;
    if (n.opType === 'Mul' && inits.has(n.inputs[1]!) && n.inputs[1]!.endsWith('.a')) {
      const add = nodes[k + 1];
      if (add?.opType !== 'Add' || add.inputs[0] !== n.outputs[0]) throw new ModelError(`Batch-norm Mul '${n.name}' is not followed by its Add.`, n.name);
      const relu = nodes[k + 2]?.opType === 'Relu' && nodes[k + 2]!.inputs[0] === add.outputs[0];
      const a = floatInit(n.inputs[1]!);
      const b = floatInit(add.inputs[1]!);
      layers.push({ op: 'batchnorm', name: add.name, relu, scale: a.slice(), bias: b.slice(), mean: new Float32Array(a.length), variance: new Float32Array(a.length).fill(1), epsilon: 0 });
      k += relu ? 2 : 1;
      producedAfter.set(nodes[k]!.outputs[0]!, layers.length - 1);
    } else if (n.opType === 'Conv') {
      const pads = ints(n, 'pads');
      const strides = ints(n, 'strides');
      layers.push({
        op: 'conv',
        name: n.name,
        weight: binaryWeightOf(n.inputs[1]!, inits, producer),
        strides: [strides[0] ?? 1, strides[1] ?? 1],
        pads: [pads[0] ?? 0, pads[1] ?? 0, pads[2] ?? 0, pads[3] ?? 0],
      });
      producedAfter.set(n.outputs[0]!, layers.length - 1);
    } else if (n.opType === 'Add' && n.name.startsWith('residual')) {
      // Trace the shortcut input back through Pad/AveragePool to the saved value.
      let r = n.inputs[1]!;
      let zeroChannels = 0;
      let pool: { kernel: number; stride: number; pads: Pads } | undefined;
      for (let p = producer.get(r); p && (p.opType === 'Pad' || p.opType === 'AveragePool'); p = producer.get(r)) {
        if (p.opType === 'Pad') {
          const pads = p.inputs[1] ? Array.from(inits.get(p.inputs[1]!)?.data as BigInt64Array, Number) : ints(p, 'pads');
          zeroChannels = pads[5] ?? 0;
        } else {
          const pd = ints(p, 'pads');
          pool = { kernel: ints(p, 'kernel_shape')[0] ?? 3, stride: ints(p, 'strides')[0] ?? 1, pads: [pd[0] ?? 0, pd[1] ?? 0, pd[2] ?? 0, pd[3] ?? 0] };
        }
        r = p.inputs[0]!;
      }
      if (r !== lastResidualOutput) {
        const after = producedAfter.get(r);
        if (after === undefined) throw new ModelError(`Residual '${n.name}' adds value '${r}', which no earlier layer produced.`, n.name);
        layers.splice(after + 1, 0, { op: 'save-residual' });
        for (const [key, v] of producedAfter) if (v > after) producedAfter.set(key, v + 1);
      }
      layers.push({ op: 'add-residual', zeroChannels, ...(pool ? { pool } : {}) });
      producedAfter.set(n.outputs[0]!, layers.length - 1);
      lastResidualOutput = n.outputs[0]!;
    } else if (n.opType === 'ReduceSum' || n.opType === 'ReduceMean') {
      layers.push({ op: 'global-pool', reduce: n.opType === 'ReduceSum' ? 'sum' : 'mean' });
    }
  }
  const dims = input.dims ?? [];
  const out = model.graph.outputs[0]?.dims?.[1];
  return {
    family,
    inputShape: [Number(dims[1]), Number(dims[2]), Number(dims[3])],
    numClasses: typeof out === 'number' ? out : 0,
    preprocess: 'raw255',
    notes: parseNotes(model.metadata['onebit.notes']),
    layers,
  };
}

function parseNotes(text: string | undefined): Record<string, string | number> {
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string | number>) : {};
  } catch {
    throw new ModelError(`The ONNX metadata 'onebit.notes' is not valid JSON: ${text.slice(0, 40)}….`, 'onebit.notes');
  }
}

/** The BinaryWeight behind a Conv weight value: packed initializers or a ±scale float tensor. */
function binaryWeightOf(name: string, inits: Map<string, Tensor>, producer: Map<string, OnnxNode>): BinaryWeight {
  const bits = inits.get(`${name}.bits`);
  const shape = inits.get(`${name}.shape`);
  const scale = inits.get(`${name}.scale`);
  if (bits?.dtype === 'uint8' && shape?.dtype === 'int64' && scale?.dtype === 'float32') {
    return { dims: Array.from(shape.data, Number), bits: bits.data.slice(), scale: scale.data.length === 1 && scale.dims.length === 0 ? scale.data[0]! : scale.data.slice() };
  }
  const t = inits.get(name);
  if (t && !producer.has(name)) {
    const kind = detectBinary(t);
    if (kind?.kind === 'plus-minus' || kind?.kind === 'plus-minus-per-channel') {
      const v = t.data as Float32Array;
      const packed = new Uint8Array(Math.ceil(v.length / 8));
      for (let k = 0; k < v.length; k++) if (v[k]! >= 0) packed[k >>> 3]! |= 1 << (k & 7);
      return { dims: [...t.dims], bits: packed, scale: kind.scale };
    }
  }
  throw new ModelError(`Conv weight '${name}' is neither packed onebit bits nor a ±scale float tensor.`, name);
}
