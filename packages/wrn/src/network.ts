/**
 * The authors' released networks (the wide ResNets and the plain CNN) as a flat list of layers —
 * the one intermediate form that the MATLAB, Keras and plain-net readers produce, that the ONNX emitter turns into a graph, and that the
 * reference forward pass executes. Tensors are in ONNX layout (NCHW activations,
 * conv weights [C_out, C_in, kH, kW]).
 */
import type { BinaryWeight } from '@onebit/bits';

/** Padding [top, left, bottom, right] in pixels. */
export type Pads = readonly [number, number, number, number];

/** y = scale · (x − mean) / sqrt(variance + epsilon) + bias, per channel, optionally followed by ReLU. */
export interface BatchNormLayer {
  readonly op: 'batchnorm';
  readonly name: string;
  readonly mean: Float32Array;
  readonly variance: Float32Array;
  readonly scale: Float32Array;
  readonly bias: Float32Array;
  readonly epsilon: number;
  readonly relu: boolean;
}

/** A bias-free convolution whose weight is binary (±scale). */
export interface BinaryConvLayer {
  readonly op: 'conv';
  readonly name: string;
  readonly weight: BinaryWeight;
  readonly strides: readonly [number, number];
  readonly pads: Pads;
}

/** Remembers the current activation as the residual path. */
export interface SaveResidualLayer {
  readonly op: 'save-residual';
}

/**
 * Adds the saved residual to the current activation, then saves the sum. When the current
 * activation is smaller, the residual is first average-pooled (padding excluded from the count);
 * when it has more channels, zero channels are appended after the residual's own.
 */
export interface AddResidualLayer {
  readonly op: 'add-residual';
  readonly pool?: { readonly kernel: number; readonly stride: number; readonly pads: Pads };
  readonly zeroChannels: number;
}

/** Reduces H×W to one value per channel: the authors' MATLAB code sums, Keras averages. */
export interface GlobalPoolLayer {
  readonly op: 'global-pool';
  readonly reduce: 'sum' | 'mean';
}

export type Layer = BatchNormLayer | BinaryConvLayer | SaveResidualLayer | AddResidualLayer | GlobalPoolLayer;

export interface WrnNetwork {
  /** Which release this came from: the MATLAB or Keras WRN, or the plain (no residual) CNN. */
  readonly family: 'mcdonnell-matlab-wrn' | 'mcdonnell-keras-wrn' | 'mcdonnell-plain-cnn';
  /** Input tensor shape without the batch dimension: [C, H, W]. */
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  /** Preprocessing the network expects ("raw255": float RGB 0..255, NCHW). */
  readonly preprocess: 'raw255';
  readonly layers: readonly Layer[];
  /** Where the binary weights' scale comes from, when the summary should say (recorded as `onebit.scale`). */
  readonly scale?: string;
  /**
   * Emit compactly (the plain net, to stay within 1.05× of its 1-bit floor): each conv's following
   * batch norm folded into it — per-output-channel weight scale = conv scale · a, conv bias = b,
   * where y = a·x + b is the batch norm's affine map — and the weights packed in the stacked layout
   * (one decode chain for all; @onebit/onnx PACKED.md) when the opset is 11 or later.
   */
  readonly compactOnnx?: boolean;
  /** Facts from the file worth reporting (depth, width, recorded accuracy …). */
  readonly notes: Readonly<Record<string, string | number>>;
}

/** Number of binary conv layers and their total weights. */
export function countWeights(net: WrnNetwork): { convs: number; weights: number } {
  let convs = 0;
  let weights = 0;
  for (const l of net.layers) {
    if (l.op !== 'conv') continue;
    convs++;
    weights += l.weight.dims.reduce((a, b) => a * b, 1);
  }
  return { convs, weights };
}
