/**
 * The tensors of a PyTorch or safetensors state_dict input, read once per input and shared by the
 * importers that look at them (a family importer's `accepts`, then its `read`, or the state_dict-
 * on-a-graph importer).
 */
import type { Tensor } from '@onebit/core';
import { readSafetensors, readTorch } from '@onebit/pytorch';
import type { ImportInput } from './importer.js';

export const STATE_DICT_FORMATS: ReadonlySet<string> = new Set(['torch-zip', 'torch-legacy', 'safetensors']);

// Keyed by the input, not its bytes: the same bytes read under other limits must be charged again.
const cache = new WeakMap<ImportInput, Map<string, Tensor>>();

/** The state_dict of `input` (a torch or safetensors file, read under `input.limits`); throws the readers' typed errors. */
export function stateDictOf(input: ImportInput): Map<string, Tensor> {
  let tensors = cache.get(input);
  if (!tensors) {
    const limits = input.limits ?? {};
    tensors = input.format === 'safetensors'
      ? readSafetensors(input.bytes, limits.maxTensorBytes !== undefined ? { maxTensorBytes: limits.maxTensorBytes } : {}).tensors
      : readTorch(input.bytes, { name: input.fileName, ...limits }).tensors;
    cache.set(input, tensors);
  }
  return tensors;
}
