/**
 * Stores a WrnNetwork in the .onebit container and reads it back. The container's `model` JSON
 * holds the architecture (the layer list without tensors); the tensors are the binary conv
 * weights `<conv>.weight` (sign bits + scale) and one float32 tensor `batchnorm` with every batch
 * norm's folded affine map y = a·x + b, layer after layer: a (C values) then b (C values), stored
 * with the container's lossless shuffle-deflate encoding. Reading back gives a network whose ONNX
 * is byte-identical to the one emitted from the original file.
 */
import { ModelError, tensor } from '@onebit/core';
import type { Container, ContainerTensor } from '@onebit/container';
import { foldBatchNorm, type Layer, type Pads, type WrnNetwork } from '@onebit/wrn';

export const WRN_CONTAINER_KIND = 'onebit-wrn';
/** The float tensor holding every batch norm's [a, b], in layer order. */
export const BATCHNORM_TENSOR = 'batchnorm';

/** One layer in the container's model JSON (tensor data lives in the container's tensors). */
type LayerJson =
  | { op: 'batchnorm'; name: string; relu: boolean; channels: number }
  | { op: 'conv'; name: string; strides: [number, number]; pads: Pads }
  | { op: 'save-residual' }
  | { op: 'add-residual'; zeroChannels: number; pool?: { kernel: number; stride: number; pads: Pads } }
  | { op: 'global-pool'; reduce: 'sum' | 'mean' };

export function wrnToContainer(net: WrnNetwork): Container {
  const tensors: ContainerTensor[] = [];
  const affine: Float32Array[] = [];
  const layers: LayerJson[] = net.layers.map((l): LayerJson => {
    switch (l.op) {
      case 'batchnorm': {
        const { a, b } = foldBatchNorm(l);
        affine.push(a, b);
        return { op: 'batchnorm', name: l.name, relu: l.relu, channels: a.length };
      }
      case 'conv':
        tensors.push({ name: `${l.name}.weight`, role: 'binary-weight', weight: l.weight });
        return { op: 'conv', name: l.name, strides: [l.strides[0], l.strides[1]], pads: [...l.pads] };
      default:
        return l as LayerJson;
    }
  });
  const all = new Float32Array(affine.reduce((n, v) => n + v.length, 0));
  affine.reduce((at, v) => (all.set(v, at), at + v.length), 0);
  tensors.push({ name: BATCHNORM_TENSOR, role: 'float', tensor: tensor('float32', [all.length], all), encoding: 'shuffle-deflate' });
  return {
    model: {
      kind: WRN_CONTAINER_KIND,
      family: net.family,
      inputShape: [...net.inputShape],
      numClasses: net.numClasses,
      preprocess: net.preprocess,
      notes: net.notes,
      layers,
    },
    tensors,
  };
}

export function isWrnContainer(c: Container): boolean {
  return c.model['kind'] === WRN_CONTAINER_KIND;
}

export function containerToWrn(c: Container): WrnNetwork {
  const m = c.model as { family?: unknown; inputShape?: unknown; numClasses?: unknown; preprocess?: unknown; notes?: unknown; layers?: unknown };
  if (!isWrnContainer(c) || !Array.isArray(m.layers) || !Array.isArray(m.inputShape) || typeof m.numClasses !== 'number') {
    throw new ModelError(`The container's model description is not a ${WRN_CONTAINER_KIND} network (kind ${JSON.stringify(c.model['kind'])}).`);
  }
  if (m.family !== 'mcdonnell-matlab-wrn' && m.family !== 'mcdonnell-keras-wrn') throw new ModelError(`The container names an unknown network family ${JSON.stringify(m.family)}.`);
  const byName = new Map(c.tensors.map((t) => [t.name, t]));
  const bn = byName.get(BATCHNORM_TENSOR);
  if (bn?.role !== 'float' || bn.tensor.dtype !== 'float32') throw new ModelError(`The container has no float32 tensor '${BATCHNORM_TENSOR}' with the batch-norm parameters.`, BATCHNORM_TENSOR);
  const bnData = bn.tensor.data;
  let bnAt = 0;
  const layers = (m.layers as LayerJson[]).map((l, i): Layer => {
    switch (l?.op) {
      case 'batchnorm': {
        const c2 = l.channels;
        if (!Number.isSafeInteger(c2) || c2 < 1 || bnAt + 2 * c2 > bnData.length) {
          throw new ModelError(`Layer ${i} (${l.name}) needs ${2 * c2} values at ${bnAt} of '${BATCHNORM_TENSOR}', which holds ${bnData.length}.`, BATCHNORM_TENSOR);
        }
        const scale = bnData.slice(bnAt, bnAt + c2);
        const bias = bnData.slice(bnAt + c2, bnAt + 2 * c2);
        bnAt += 2 * c2;
        // The folded map as a batch norm with unit variance and zero mean: folding it again is exact.
        return { op: 'batchnorm', name: l.name, relu: l.relu, scale, bias, mean: new Float32Array(c2), variance: new Float32Array(c2).fill(1), epsilon: 0 };
      }
      case 'conv': {
        const t = byName.get(`${l.name}.weight`);
        if (t?.role !== 'binary-weight') throw new ModelError(`Layer ${i} (${l.name}) needs a binary tensor '${l.name}.weight' in the container.`, `${l.name}.weight`);
        return { op: 'conv', name: l.name, weight: t.weight, strides: l.strides, pads: l.pads };
      }
      case 'save-residual':
      case 'add-residual':
      case 'global-pool':
        return l;
      default:
        throw new ModelError(`Layer ${i} of the container's network has unknown op ${JSON.stringify((l as { op?: unknown })?.op)}.`);
    }
  });
  return {
    family: m.family,
    inputShape: m.inputShape as [number, number, number],
    numClasses: m.numClasses,
    preprocess: 'raw255',
    notes: (m.notes ?? {}) as Record<string, string | number>,
    layers,
  };
}
