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
  readonly files: readonly ModelForm[];
}

export interface ModelForm {
  readonly file: string;
  readonly bytes: Uint8Array;
}

/**
 * Converts `input` (any format convert reads, without external data) into the three forms, in the
 * order container, packed ONNX, float ONNX. `onForm` is called with each as soon as it exists, so a
 * caller can start asynchronous work on it (compression on the thread pool) while the next, larger
 * form is built.
 */
export function modelForms(
  input: Uint8Array,
  fileName = 'the file',
  options: { readonly limits?: ReaderLimits; readonly onForm?: (form: ModelForm, index: number) => void } = {},
): ModelForms {
  const files: ModelForm[] = [];
  const add = (file: string, bytes: Uint8Array): void => {
    files.push({ file, bytes });
    options.onForm?.(files[files.length - 1]!, files.length - 1);
  };
  const onebit = convertSync(input, { to: 'onebit', fileName, ...(options.limits ? { limits: options.limits } : {}) });
  add('.onebit container', onebit.bytes);
  add('ONNX, packed weights', convertSync(onebit.bytes, { weights: 'packed' }).bytes);
  add('ONNX, float weights', convertSync(onebit.bytes, { weights: 'float' }).bytes);
  return { family: onebit.summary.family, container: readContainer(onebit.bytes), files };
}
