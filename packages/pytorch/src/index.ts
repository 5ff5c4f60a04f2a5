/**
 * @onebit/pytorch: reads PyTorch torch.save checkpoints (zip and legacy formats) through a
 * restricted, allow-listed unpickler that never executes code, and safetensors files.
 */
export { readTorch, sniffTorch, stripPrefix, findStateDict, flattenTensors, defaultMaxTorchTensorBytes, STATE_DICT_KEYS } from './checkpoint.js';
export type { TorchCheckpoint, TorchFormat, ReadTorchOptions } from './checkpoint.js';
export { readSafetensors, sniffSafetensors, SAFETENSORS_DTYPES, MAX_SAFETENSORS_HEADER } from './safetensors.js';
export type { Safetensors, ReadSafetensorsOptions } from './safetensors.js';
export { unpickle, DEFAULT_UNPICKLE_LIMITS } from './unpickler.js';
export type { UnpickleOptions, UnpickleLimits } from './unpickler.js';
export { ALLOWED_GLOBALS, allowListedGlobals } from './allow-list.js';
export { OpaqueObject, PickleGlobal, isTensor } from './pickle-value.js';
export type { PickleValue } from './pickle-value.js';
export { STORAGE_DTYPES } from './storage.js';
export { DEFAULT_TORCH_ZIP_LIMITS } from './torch-zip.js';
export type { TorchZipLimits } from './torch-zip.js';
