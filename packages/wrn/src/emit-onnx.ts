/**
 * Turns a WrnNetwork into onebit's model representation (a BinaryGraph): a standard ONNX graph of
 * Mul/Add (folded batch norm), Relu, Conv, AveragePool, Pad, Add and ReduceSum/ReduceMean only, so
 * stock onnxruntime (node and web) loads it, whose binary conv weights are marked and kept as sign
 * bits + scale. binaryGraphToOnnx stores them `packed` (1 bit per weight + a decode subgraph that
 * onnxruntime constant-folds at load, see packages/onnx/PACKED.md) or `float` (±scale float32).
 * A network marked compactOnnx (the plain net) gets each conv's following batch norm folded into
 * the conv and the stacked packed layout (WrnNetwork.compactOnnx).
 */
import type { BinaryWeight } from '@onebit/bits';
import { tensor } from '@onebit/core';
import { binaryGraphToOnnx, GraphBuilder, MIN_STACKED_OPSET, PACKING_METADATA_KEY, STACKED_PACKING, type BinaryGraph, type BinaryWeightMode, type OnnxModel } from '@onebit/onnx';
import type { BatchNormLayer, WrnNetwork } from './network.js';

export interface EmitOptions {
  readonly weights?: BinaryWeightMode;
  /** ONNX opset (7…17 for the packed decode; default 13). */
  readonly opset?: number;
  /** Extra metadata_props entries. */
  readonly metadata?: Record<string, string>;
}

export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'logits';

/** The ONNX model of `net` with its binary weights stored as `options.weights` (default packed). */
export function wrnToOnnx(net: WrnNetwork, options: EmitOptions = {}): OnnxModel {
  return binaryGraphToOnnx(wrnToGraph(net, options), options.weights ?? 'packed');
}

/** The network as an ONNX graph whose conv weights are binary (sign bits + scale, by initializer name). */
export function wrnToGraph(net: WrnNetwork, options: Omit<EmitOptions, 'weights'> = {}): BinaryGraph {
  const opset = options.opset ?? 13;
  const weights = new Map<string, BinaryWeight>();
  const b = new GraphBuilder(net.family);
  const [c, h, w] = net.inputShape;
  b.input(INPUT_NAME, 'float32', ['N', c, h, w]);
  let x = INPUT_NAME;
  let residual: string | undefined;
  let channels = c;
  let addIndex = 0;
  // The compact form's convs (each followed by a batch norm), by layer index → their number k, and
  // their weights declared up front so that they are contiguous initializers: lifting the stacked
  // layout puts them back together where its bits were, so ONNX → .onebit gives the .mat's container.
  const compactConvs = new Map<number, number>();
  net.layers.forEach((l, i) => {
    if (net.compactOnnx && l.op === 'conv' && net.layers[i + 1]?.op === 'batchnorm') {
      compactConvs.set(i, compactConvs.size + 1);
      b.binaryWeightSlot(`w${compactConvs.size}`, l.weight.dims);
    }
  });
  const int64s = (name: string, values: number[]) => b.initializer(name, tensor('int64', [values.length], BigInt64Array.from(values, BigInt)));

  for (let li = 0; li < net.layers.length; li++) {
    const layer = net.layers[li]!;
    const next = net.layers[li + 1];
    const k = compactConvs.get(li);
    if (k !== undefined && layer.op === 'conv' && next?.op === 'batchnorm') {
      // conv → batch norm as one Conv: W·a per output channel, bias b (see WrnNetwork.compactOnnx).
      // Every byte of graph counts against the 1.05× budget, so the nodes are unnamed, attributes at
      // their ONNX defaults (kernel_shape: the weight's, strides 1, pads 0) are left out, and the
      // values of conv k are named wk (weight), bk (bias), ck (conv output), rk (after ReLU).
      const { a, b: shift } = foldBatchNorm(next);
      const s = layer.weight.scale;
      const scale = a.map((ac, c) => Math.fround((typeof s === 'number' ? s : s[c]!) * ac));
      const weight = `w${k}`;
      weights.set(weight, { dims: layer.weight.dims, bits: layer.weight.bits, scale });
      const bias = b.initializer(`b${k}`, tensor('float32', [shift.length], shift));
      const attributes = {
        ...(layer.strides.some((v) => v !== 1) ? { strides: [...layer.strides] } : {}),
        ...(layer.pads.some((v) => v !== 0) ? { pads: [...layer.pads] } : {}),
      };
      x = b.node('Conv', [x, weight, bias], attributes, { name: '', outputs: [`c${k}`] });
      channels = layer.weight.dims[0]!;
      if (next.relu) x = b.node('Relu', [x], {}, { name: '', outputs: [`r${k}`] });
      li++;
      continue;
    }
    switch (layer.op) {
      case 'batchnorm': {
        // Inference-time batch norm is a per-channel affine map; storing its two folded vectors
        // (a = scale/√(var+ε), b = bias − mean·a, computed in float64) instead of the four
        // BatchNormalization inputs halves what the statistics cost on disk.
        const { a, b: shift } = foldBatchNorm(layer);
        const vec = (suffix: string, v: Float32Array) => b.initializer(`${layer.name}.${suffix}`, tensor('float32', [v.length, 1, 1], v));
        x = b.node('Mul', [x, vec('a', a)], {}, { name: `${layer.name}.mul` });
        x = b.node('Add', [x, vec('b', shift)], {}, { name: layer.name });
        if (layer.relu) x = b.node('Relu', [x], {}, { name: `${layer.name}.relu` });
        break;
      }
      case 'conv': {
        const weight = b.binaryWeightSlot(`${layer.name}.weight`, layer.weight.dims);
        weights.set(weight, layer.weight);
        const [, , kh, kw] = layer.weight.dims as [number, number, number, number];
        x = b.node('Conv', [x, weight], { kernel_shape: [kh, kw], strides: [...layer.strides], pads: [...layer.pads] }, { name: layer.name });
        channels = layer.weight.dims[0]!;
        break;
      }
      case 'save-residual':
        residual = x;
        break;
      case 'add-residual': {
        if (!residual) throw new RangeError('add-residual before any save-residual in the network description.');
        addIndex++;
        let r = residual;
        if (layer.pool) {
          r = b.node('AveragePool', [r], { kernel_shape: [layer.pool.kernel, layer.pool.kernel], strides: [layer.pool.stride, layer.pool.stride], pads: [...layer.pool.pads], count_include_pad: 0 }, { name: `shortcut${addIndex}.pool` });
        }
        if (layer.zeroChannels > 0) {
          const pads = [0, 0, 0, 0, 0, layer.zeroChannels, 0, 0];
          r = opset >= 11
            ? b.node('Pad', [r, int64s(`shortcut${addIndex}.pads`, pads)], {}, { name: `shortcut${addIndex}.pad` })
            : b.node('Pad', [r], { pads }, { name: `shortcut${addIndex}.pad` });
        }
        x = b.node('Add', [x, r], {}, { name: `residual${addIndex}` });
        residual = x;
        break;
      }
      case 'global-pool': {
        const op = layer.reduce === 'sum' ? 'ReduceSum' : 'ReduceMean';
        // ReduceSum takes axes as an input from opset 13, ReduceMean from opset 18.
        const axesAsInput = layer.reduce === 'sum' ? opset >= 13 : opset >= 18;
        // The compact form names the pooled value the graph output itself (no Identity).
        const outputs = net.compactOnnx ? { outputs: [OUTPUT_NAME] } : {};
        x = axesAsInput
          ? b.node(op, [x, int64s('global_pool.axes', [2, 3])], { keepdims: 0 }, { name: 'global_pool', ...outputs })
          : b.node(op, [x], { axes: [2, 3], keepdims: 0 }, { name: 'global_pool', ...outputs });
        break;
      }
    }
  }
  b.output(OUTPUT_NAME, 'float32', ['N', channels], x);
  const model = b.build({
    opset,
    producerName: 'onebit',
    metadata: {
      'onebit.family': net.family,
      'onebit.preprocess': net.preprocess,
      'onebit.notes': JSON.stringify(net.notes),
      ...(net.scale ? { 'onebit.scale': net.scale } : {}),
      ...(net.compactOnnx && opset >= MIN_STACKED_OPSET ? { [PACKING_METADATA_KEY]: STACKED_PACKING } : {}),
      ...options.metadata,
    },
  });
  return { model, weights };
}

/** The per-channel affine map y = a·x + b that an inference-time batch norm computes. */
export function foldBatchNorm(l: BatchNormLayer): { a: Float32Array; b: Float32Array } {
  const a = new Float32Array(l.mean.length);
  const b = new Float32Array(l.mean.length);
  for (let c = 0; c < a.length; c++) {
    const ac = l.scale[c]! / Math.sqrt(l.variance[c]! + l.epsilon);
    a[c] = ac;
    b[c] = l.bias[c]! - l.mean[c]! * ac;
  }
  return { a, b };
}
