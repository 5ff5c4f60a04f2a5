/**
 * The ONNX graph of a binary-wide-resnet network (see binary-wide-resnet.ts), computing what the
 * repository's WRN_McDonnell.forward computes in eval mode: float conv0 → 3 groups of pre-activated
 * blocks (folded batch norm, ReLU, binary 3×3 conv, twice, plus the shortcut; the first block of
 * groups 1 and 2 uses stride 2 and an AveragePool 3×3/2 with count_include_pad = 1 — PyTorch's
 * avg_pool2d default — followed by zero channels) → ReLU(bn) → float 1×1 conv_last → affine
 * bn_last → ReduceMean over H×W. The binary weights come out as float ±scale initializers of the
 * returned source graph plus a map of their sign bits, ready for replaceWithBinaryWeights (packed
 * or float ONNX) or the .onebit container; initializers are named `<state_dict key>.weight`.
 */
import { expandBinaryWeight } from '@onebit/binarize';
import type { BinaryWeight } from '@onebit/bits';
import { tensor, type Tensor } from '@onebit/core';
import { GraphBuilder, type OnnxModel } from '@onebit/onnx';
import type { BinaryWideResnet } from './binary-wide-resnet.js';
import { foldBatchNorm, INPUT_NAME, OUTPUT_NAME } from './emit-onnx.js';
import type { BatchNormLayer } from './network.js';

/** The CIFAR input the repository trains on: RGB 32×32, preprocessed with onebit's `cifar-wrn` preset. */
export const BINARY_WIDE_RESNET_INPUT = [3, 32, 32] as const;
export const BINARY_WIDE_RESNET_PREPROCESS = 'cifar-wrn';

export interface BinaryWideResnetGraph {
  /** The graph with every binary weight as a float32 ±scale initializer. */
  readonly source: OnnxModel;
  /** Sign bits + scale of each binary weight, by initializer name, in graph order. */
  readonly binaryWeights: ReadonlyMap<string, BinaryWeight>;
}

/**
 * Builds the graph; `opset` 11–17 (default 13; Pad takes its pads as an input from 11, ReduceMean
 * its axes as an input from 18). Input `input` float32 [N, 3, 32, 32], output `logits` [N, classes].
 * Metadata: onebit.family, onebit.preprocess (`cifar-wrn`) and onebit.notes (depth, width, classes).
 */
export function binaryWideResnetToOnnx(net: BinaryWideResnet, options: { opset?: number } = {}): BinaryWideResnetGraph {
  const opset = options.opset ?? 13;
  if (!Number.isInteger(opset) || opset < 11 || opset > 17) throw new RangeError(`opset ${opset} is outside 11–17 for a binary-wide-resnet graph.`);
  const b = new GraphBuilder(net.family);
  const binaryWeights = new Map<string, BinaryWeight>();
  b.input(INPUT_NAME, 'float32', ['N', ...BINARY_WIDE_RESNET_INPUT]);

  const conv = (x: string, name: string, weight: Tensor, stride: number, pad: number): string => {
    const w = b.initializer(`${name}.weight`, weight);
    const [, , kh, kw] = weight.dims as [number, number, number, number];
    return b.node('Conv', [x, w], { kernel_shape: [kh, kw], strides: [stride, stride], pads: [pad, pad, pad, pad] }, { name });
  };
  const binaryConv = (x: string, name: string, w: BinaryWeight, stride: number): string => {
    binaryWeights.set(`${name}.weight`, w);
    return conv(x, name, tensor('float32', w.dims, expandBinaryWeight(w)), stride, 1);
  };
  const batchNorm = (x: string, l: BatchNormLayer): string => {
    const { a, b: shift } = foldBatchNorm(l);
    const vec = (suffix: string, v: Float32Array) => b.initializer(`${l.name}.${suffix}`, tensor('float32', [v.length, 1, 1], v));
    const y = b.node('Add', [b.node('Mul', [x, vec('a', a)], {}, { name: `${l.name}.mul` }), vec('b', shift)], {}, { name: l.name });
    return l.relu ? b.node('Relu', [y], {}, { name: `${l.name}.relu` }) : y;
  };

  let x = conv(INPUT_NAME, 'conv0', net.conv0, 1, 1);
  for (const block of net.blocks) {
    const stride = block.downsample ? 2 : 1;
    let h = binaryConv(batchNorm(x, block.bn0), block.conv0.name, block.conv0.weight, stride);
    h = binaryConv(batchNorm(h, block.bn1), block.conv1.name, block.conv1.weight, 1);
    let shortcut = x;
    if (block.downsample) {
      // avg_pool2d(x, 3, 2, padding=1) divides by 9 also at the border (count_include_pad=True).
      shortcut = b.node('AveragePool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 }, { name: `${block.name}.shortcut.pool` });
      const zeros = block.bn0.mean.length;
      const pads = b.initializer(`${block.name}.shortcut.pads`, tensor('int64', [8], BigInt64Array.from([0, 0, 0, 0, 0, zeros, 0, 0], BigInt)));
      shortcut = b.node('Pad', [shortcut, pads], {}, { name: `${block.name}.shortcut.pad` });
    }
    x = b.node('Add', [h, shortcut], {}, { name: block.name });
  }
  x = conv(batchNorm(x, net.bn), 'conv_last', net.convLast, 1, 0);
  x = batchNorm(x, net.bnLast);
  x = b.node('ReduceMean', [x], { axes: [2, 3], keepdims: 0 }, { name: 'global_pool' });
  b.output(OUTPUT_NAME, 'float32', ['N', net.numClasses], x);
  const source = b.build({
    opset,
    producerName: 'onebit',
    metadata: {
      'onebit.family': net.family,
      'onebit.preprocess': BINARY_WIDE_RESNET_PREPROCESS,
      'onebit.notes': JSON.stringify({ depth: net.depth, width: net.width, classes: net.numClasses }),
    },
  });
  return { source, binaryWeights };
}
