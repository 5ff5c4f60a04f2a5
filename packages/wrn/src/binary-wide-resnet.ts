/**
 * Reads the state_dict of szagoruyko/binary-wide-resnet (the PyTorch implementation of McDonnell,
 * ICLR 2018; its `wrn_mcdonnell.py`) into a checked description of the network. Both files its users
 * hold are understood: the training checkpoint of `main.py` (latent float weights; the deployed
 * weight of every block conv is sign(w)·sqrt(2/fan_in)) and the packed release of its README (each
 * block conv a uint8 tensor `np.packbits`-ed along the input-channel axis, most significant bit
 * first, bit 1 = +1). Depth, width and class count follow from the shapes; every tensor the network
 * needs is checked by name, shape and dtype, and one that is missing, mis-shaped or unexpected is a
 * ModelError naming the key.
 */
import { binarizeTensor, heScale } from '@onebit/binarize';
import { packSigns, type BinaryWeight } from '@onebit/bits';
import { ModelError, toFloat32, type DType, type Tensor, type TensorOf } from '@onebit/core';
import type { BatchNormLayer } from './network.js';

export const BINARY_WIDE_RESNET_FAMILY = 'binary-wide-resnet';
/** torch.nn.BatchNorm2d's default epsilon, which the repository never changes. */
export const BINARY_WIDE_RESNET_EPSILON = 1e-5;

/** A block convolution: 3×3, padding 1, deployed as sign(w)·sqrt(2 / (C_in·9)). */
export interface BwrBinaryConv {
  /** State_dict key without the `module.` prefix, e.g. "group1.block0.conv0". */
  readonly name: string;
  readonly weight: BinaryWeight;
  readonly stride: 1 | 2;
  /** 'latent' float weights (training checkpoint) or 'packed' sign bits (packed release). */
  readonly stored: 'latent' | 'packed';
  /** Latent weights exactly 0 (±0): the repository's sign() deploys them as 0, onebit as +1. */
  readonly latentZeros: number;
}

export interface BwrBlock {
  /** "group{g}.block{i}". */
  readonly name: string;
  /** First block of groups 1 and 2: conv0 has stride 2, the shortcut is avg-pooled and zero-padded. */
  readonly downsample: boolean;
  readonly bn0: BatchNormLayer;
  readonly conv0: BwrBinaryConv;
  readonly bn1: BatchNormLayer;
  readonly conv1: BwrBinaryConv;
}

export interface BinaryWideResnet {
  readonly family: typeof BINARY_WIDE_RESNET_FAMILY;
  /** 6·(blocks per group) + 2, the repository's `--depth`. */
  readonly depth: number;
  /** Channels of group 0 divided by 16, the repository's `--width`. */
  readonly width: number;
  readonly numClasses: number;
  /** Channels of groups 0, 1 and 2. */
  readonly channels: readonly [number, number, number];
  /** First conv, float32 [16·width, 3, 3, 3], padding 1. */
  readonly conv0: TensorOf<'float32'>;
  readonly blocks: readonly BwrBlock[];
  /** Head batch norm (no affine), followed by ReLU. */
  readonly bn: BatchNormLayer;
  /** Float 1×1 conv [classes, 64·width, 1, 1]. */
  readonly convLast: TensorOf<'float32'>;
  /** Affine batch norm on the logits (before the spatial mean). */
  readonly bnLast: BatchNormLayer;
  /** 'latent' when every block conv holds float weights, 'packed' when every one holds bits, else 'mixed'. */
  readonly stored: 'latent' | 'packed' | 'mixed';
  /** The key prefix the file used ('module.' for DataParallel, or ''). */
  readonly prefix: string;
  /** Latent block-conv weights exactly 0, over all convs (see BwrBinaryConv.latentZeros). */
  readonly latentZeros: number;
}

/** A shape as PyTorch prints it: [24, 12, 3, 3]. */
const shape = (dims: readonly number[]): string => `[${dims.join(', ')}]`;
const BLOCK_CONV = /^group\d+\.block\d+\.conv[01]$/;
const FLOAT_DTYPES: ReadonlySet<DType> = new Set(['float32', 'float64', 'float16', 'bfloat16']);

/** The key prefix of `names` ('module.' when every key has it), so that `name` reads as the repository's parameter. */
function keyPrefix(names: Iterable<string>): string {
  let all = true;
  let any = false;
  for (const n of names) {
    any = true;
    if (!n.startsWith('module.')) all = false;
  }
  return any && all ? 'module.' : '';
}

/**
 * True when the state_dict keys name this family: block convolutions registered as bare parameters
 * (`group{g}.block{i}.conv{0,1}`, no `.weight`), which is how wrn_mcdonnell.py names them. Never throws.
 */
export function isBinaryWideResnet(names: Iterable<string>): boolean {
  const list = [...names];
  const prefix = keyPrefix(list);
  return list.some((n) => BLOCK_CONV.test(n.slice(prefix.length)));
}

/**
 * Reads the network from a state_dict (keys with or without `module.`; the training checkpoint's
 * `state_dict` entry or the packed release's flat dict). Block convs may be float (latent weights,
 * binarized with sign(0) = +1) or uint8 (np.packbits along axis 1, MSB first; padding bits must be 0).
 * Throws ModelError naming the key of a missing, mis-shaped, wrongly typed or unexpected tensor.
 */
export function readBinaryWideResnet(tensors: ReadonlyMap<string, Tensor>, fileName = 'the checkpoint'): BinaryWideResnet {
  const prefix = keyPrefix(tensors.keys());
  const byName = new Map<string, Tensor>();
  for (const [k, t] of tensors) byName.set(k.slice(prefix.length), t);
  const used = new Set<string>();
  const key = (name: string) => `'${prefix}${name}'`;
  const get = (name: string, what: string): Tensor => {
    const t = byName.get(name);
    if (!t) throw new ModelError(`${fileName} is a binary-wide-resnet checkpoint without tensor ${key(name)} (${what}).`, prefix + name);
    used.add(name);
    return t;
  };

  const conv0Raw = get('conv0', 'the first conv, [16·width, 3, 3, 3]');
  if (conv0Raw.dims.length !== 4 || conv0Raw.dims[1] !== 3 || conv0Raw.dims[2] !== 3 || conv0Raw.dims[3] !== 3 || !(conv0Raw.dims[0]! > 0)) {
    throw new ModelError(`${fileName}: tensor ${key('conv0')} has shape ${shape(conv0Raw.dims)}; the first conv of a binary-wide-resnet is [16·width, 3, 3, 3].`, prefix + 'conv0');
  }
  const lastRaw = get('conv_last', 'the last conv, [classes, 64·width, 1, 1]');
  if (lastRaw.dims.length !== 4 || !(lastRaw.dims[0]! > 0)) {
    throw new ModelError(`${fileName}: tensor ${key('conv_last')} has shape ${shape(lastRaw.dims)}; the last conv of a binary-wide-resnet is [classes, 64·width, 1, 1].`, prefix + 'conv_last');
  }
  const c0 = conv0Raw.dims[0]!;
  const channels = [c0, 2 * c0, 4 * c0] as const;
  const numClasses = lastRaw.dims[0]!;
  let n = 0;
  while (byName.has(`group0.block${n}.conv0`) || byName.has(`group0.block${n}.conv1`)) n++;
  if (n === 0) throw new ModelError(`${fileName} is a binary-wide-resnet checkpoint without tensor ${key('group0.block0.conv0')} (the first block's first conv).`, `${prefix}group0.block0.conv0`);
  const depth = 6 * n + 2;
  const width = c0 / 16;
  const network = `a binary-wide-resnet of depth ${depth}, width ${width} (${channels.join('/')} channels) and ${numClasses} classes`;

  const floatTensor = (name: string, dims: readonly number[], what: string): Float32Array => {
    const t = get(name, `${what}, float ${shape(dims)}`);
    if (!FLOAT_DTYPES.has(t.dtype)) throw new ModelError(`${fileName}: tensor ${key(name)} has dtype ${t.dtype}; ${network} needs floating-point ${what}.`, prefix + name);
    checkShape(name, t.dims, dims, what);
    return toFloat32(t.dtype, t.data);
  };
  const checkShape = (name: string, got: readonly number[], want: readonly number[], what: string): void => {
    if (got.length !== want.length || got.some((d, i) => d !== want[i])) {
      throw new ModelError(`${fileName}: tensor ${key(name)} has shape ${shape(got)}, but ${network} needs ${shape(want)} (${what}).`, prefix + name);
    }
  };
  const batchNorm = (name: string, c: number, affine: boolean, relu: boolean): BatchNormLayer => {
    const mean = floatTensor(`${name}.running_mean`, [c], 'batch-norm running mean');
    const variance = floatTensor(`${name}.running_var`, [c], 'batch-norm running variance');
    const scale = affine ? floatTensor(`${name}.weight`, [c], 'batch-norm weight') : new Float32Array(c).fill(1);
    const bias = affine ? floatTensor(`${name}.bias`, [c], 'batch-norm bias') : new Float32Array(c);
    const tracked = byName.get(`${name}.num_batches_tracked`);
    if (tracked) {
      // A counter PyTorch ≥ 0.4.1 keeps beside the statistics; inference does not use it.
      if (tracked.dims.length !== 0) throw new ModelError(`${fileName}: tensor ${key(`${name}.num_batches_tracked`)} has shape ${shape(tracked.dims)}; a batch-norm step counter is a scalar.`, `${prefix}${name}.num_batches_tracked`);
      used.add(`${name}.num_batches_tracked`);
    }
    return { op: 'batchnorm', name, mean, variance, scale, bias, epsilon: BINARY_WIDE_RESNET_EPSILON, relu };
  };
  const binaryConv = (name: string, cOut: number, cIn: number, stride: 1 | 2): BwrBinaryConv => {
    const dims = [cOut, cIn, 3, 3];
    const t = get(name, `a block conv, float ${shape(dims)} or np.packbits uint8 ${shape([cOut, Math.ceil(cIn / 8), 3, 3])}`);
    if (t.dtype === 'uint8') {
      checkShape(name, t.dims, [cOut, Math.ceil(cIn / 8), 3, 3], `np.packbits of ${cIn} input channels along axis 1`);
      return { name, weight: unpackAxis1(t.data as Uint8Array, dims, name), stride, stored: 'packed', latentZeros: 0 };
    }
    if (!FLOAT_DTYPES.has(t.dtype)) throw new ModelError(`${fileName}: tensor ${key(name)} has dtype ${t.dtype}; a block conv is float (latent weights) or uint8 (np.packbits).`, prefix + name);
    checkShape(name, t.dims, dims, 'latent block-conv weights');
    const values = toFloat32(t.dtype, t.data);
    let zeros = 0;
    for (let k = 0; k < values.length; k++) if (values[k] === 0) zeros++;
    return { name, weight: binarizeTensor({ dtype: 'float32', dims, data: values }, 'he', prefix + name), stride, stored: 'latent', latentZeros: zeros };
  };
  const unpackAxis1 = (bytes: Uint8Array, dims: readonly number[], name: string): BinaryWeight => {
    const [cOut, cIn, kh, kw] = dims as [number, number, number, number];
    const rowBytes = Math.ceil(cIn / 8);
    const plane = kh * kw;
    const signs = new Float32Array(cOut * cIn * plane);
    for (let o = 0; o < cOut; o++) {
      for (let byte = 0; byte < rowBytes; byte++) {
        for (let p = 0; p < plane; p++) {
          const v = bytes[(o * rowBytes + byte) * plane + p]!;
          for (let bit = 0; bit < 8; bit++) {
            const c = byte * 8 + bit;
            const set = (v >>> (7 - bit)) & 1; // np.packbits: most significant bit first
            if (c >= cIn) {
              if (set) throw new ModelError(`${fileName}: tensor ${key(name)} has a set padding bit (output channel ${o}, input channel ${c} of ${cIn}); np.packbits pads with zeros.`, prefix + name);
              continue;
            }
            signs[(o * cIn + c) * plane + p] = set ? 1 : -1;
          }
        }
      }
    }
    return { dims: [...dims], bits: packSigns(signs), scale: heScale(dims, prefix + name) };
  };

  const conv0 = { dtype: 'float32' as const, dims: [c0, 3, 3, 3], data: floatTensor('conv0', [c0, 3, 3, 3], 'the first conv') };
  const convLast = { dtype: 'float32' as const, dims: [numClasses, channels[2], 1, 1], data: floatTensor('conv_last', [numClasses, channels[2], 1, 1], 'the last conv') };
  const blocks: BwrBlock[] = [];
  for (let g = 0; g < 3; g++) {
    for (let i = 0; i < n; i++) {
      const name = `group${g}.block${i}`;
      const downsample = g > 0 && i === 0;
      const c = channels[g]!;
      const cIn = downsample ? c / 2 : c;
      const conv0b = binaryConv(`${name}.conv0`, c, cIn, downsample ? 2 : 1);
      const conv1b = binaryConv(`${name}.conv1`, c, c, 1);
      blocks.push({ name, downsample, bn0: batchNorm(`${name}.bn0`, cIn, false, true), conv0: conv0b, bn1: batchNorm(`${name}.bn1`, c, false, true), conv1: conv1b });
    }
  }
  const bn = batchNorm('bn', channels[2], false, true);
  const bnLast = batchNorm('bn_last', numClasses, true, false);
  const extra = [...byName.keys()].find((k) => !used.has(k));
  if (extra !== undefined) {
    throw new ModelError(`${fileName}: tensor ${key(extra)} is not part of ${network}; onebit does not drop tensors it does not understand.`, prefix + extra);
  }
  const convs = blocks.flatMap((b) => [b.conv0, b.conv1]);
  const packed = convs.filter((c) => c.stored === 'packed').length;
  return {
    family: BINARY_WIDE_RESNET_FAMILY,
    depth,
    width,
    numClasses,
    channels,
    conv0,
    blocks,
    bn,
    convLast,
    bnLast,
    stored: packed === 0 ? 'latent' : packed === convs.length ? 'packed' : 'mixed',
    prefix,
    latentZeros: convs.reduce((s, c) => s + c.latentZeros, 0),
  };
}
