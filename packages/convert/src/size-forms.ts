/**
 * The same model in each form onebit writes — the .onebit container, packed ONNX and float ONNX —
 * for `onebit inspect --sizes`: the bytes of each (the caller measures download sizes) and the
 * container read back, whose tensors the per-layer size report lists.
 */
import { readContainer, type Container } from '@onebit/container';
import type { ReaderLimits } from '@onebit/core';
import { convertSync } from './convert.js';

export interface ModelForms {
  readonly family: string;
  readonly container: Container;
  readonly files: readonly { readonly file: string; readonly bytes: Uint8Array }[];
}

/** Converts `input` (any format convert reads, without external data) into the three forms. */
export function modelForms(input: Uint8Array, fileName = 'the file', options: { readonly limits?: ReaderLimits } = {}): ModelForms {
  const onebit = convertSync(input, { to: 'onebit', fileName, ...(options.limits ? { limits: options.limits } : {}) });
  return {
    family: onebit.summary.family,
    container: readContainer(onebit.bytes),
    files: [
      { file: '.onebit container', bytes: onebit.bytes },
      { file: 'ONNX, packed weights', bytes: convertSync(onebit.bytes, { weights: 'packed' }).bytes },
      { file: 'ONNX, float weights', bytes: convertSync(onebit.bytes, { weights: 'float' }).bytes },
    ],
  };
}
