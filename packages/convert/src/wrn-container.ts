/**
 * Stores a WrnNetwork in the .onebit container and reads it back. The container's `model` JSON
 * holds the architecture (the layer list without tensors, each layer naming its tensors); the
 * tensors are the binary conv weights (sign bits + scale) and, per batch norm, one float32
 * tensor [2, C] holding the folded affine map (row 0: a, row 1: b; y = a·x + b). Reading back
 * gives a network whose ONNX is byte-identical to the one emitted from the original file.
 */
import { ModelError, tensor } from '@onebit/core';
import type { Container, ContainerTensor } from '@onebit/container';
import { foldBatchNorm, type Layer, type Pads, type WrnNetwork } from '@onebit/wrn';

export const WRN_CONTAINER_KIND = 'onebit-wrn';

/** One layer in the container's model JSON (tensor data lives in the container's tensors). */
type LayerJson =
  | { op: 'batchnorm'; name: string; relu: boolean }
  | { op: 'conv'; name: string; strides: [number, number]; pads: Pads }
  | { op: 'save-residual' }
  | { op: 'add-residual'; zeroChannels: number; pool?: { kernel: number; stride: number; pads: Pads } }
  | { op: 'global-pool'; reduce: 'sum' | 'mean' };

export function wrnToContainer(net: WrnNetwork): Container {
  const tensors: ContainerTensor[] = [];
  const layers: LayerJson[] = net.layers.map((l): LayerJson => {
    switch (l.op) {
      case 'batchnorm': {
        const { a, b } = foldBatchNorm(l);
        const data = new Float32Array(2 * a.length);
        data.set(a, 0);
        data.set(b, a.length);
        tensors.push({ name: `${l.name}.affine`, role: 'float', tensor: tensor('float32', [2, a.length], data) });
        return { op: 'batchnorm', name: l.name, relu: l.relu };
      }
      case 'conv':
        tensors.push({ name: `${l.name}.weight`, role: 'binary-weight', weight: l.weight });
        return { op: 'conv', name: l.name, strides: [l.strides[0], l.strides[1]], pads: [...l.pads] };
      default:
        return l as LayerJson;
    }
  });
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
  const layers = (m.layers as LayerJson[]).map((l, i): Layer => {
    switch (l?.op) {
      case 'batchnorm': {
        const t = byName.get(`${l.name}.affine`);
        if (t?.role !== 'float' || t.tensor.dtype !== 'float32' || t.tensor.dims.length !== 2 || t.tensor.dims[0] !== 2) {
          throw new ModelError(`Layer ${i} (${l.name}) needs a float32 tensor '${l.name}.affine' of shape [2, C] in the container.`, `${l.name}.affine`);
        }
        const c2 = t.tensor.dims[1]!;
        const data = t.tensor.data;
        // The folded map as a batch norm with unit variance and zero mean: folding it again is exact.
        return { op: 'batchnorm', name: l.name, relu: l.relu, scale: data.slice(0, c2), bias: data.slice(c2), mean: new Float32Array(c2), variance: new Float32Array(c2).fill(1), epsilon: 0 };
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
