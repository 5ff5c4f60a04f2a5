/**
 * The tensors of a PyTorch or safetensors state_dict input, read once per input and shared by the
 * importers that look at them (a family importer's `accepts`, then its `read`, or the state_dict-
 * on-a-graph importer).
 */
import type { Tensor } from '@onebit/core';
import { readSafetensors, readTorch } from '@onebit/pytorch';
import type { ImportInput } from './importer.js';

export const STATE_DICT_FORMATS: ReadonlySet<string> = new Set(['torch-zip', 'torch-legacy', 'safetensors']);

const cache = new WeakMap<Uint8Array, Map<string, Tensor>>();

/** The state_dict of `input` (a torch or safetensors file); throws the readers' typed errors. */
export function stateDictOf(input: ImportInput): Map<string, Tensor> {
  let tensors = cache.get(input.bytes);
  if (!tensors) {
    tensors = input.format === 'safetensors' ? readSafetensors(input.bytes).tensors : readTorch(input.bytes, { name: input.fileName }).tensors;
    cache.set(input.bytes, tensors);
  }
  return tensors;
}
