/**
 * @onebit/engine: a WebAssembly SIMD runtime for the graphs onebit produces, which keeps binary
 * weights packed at one bit in memory and runs binary convolutions by table lookup.
 */
export { Engine, loadEngine, loadEngineInto, type EngineMemory, type EngineOptions } from './engine.js';
export { MAX_THREADS, type WorkerLike } from './threads.js';
export { UnsupportedOpError } from './errors.js';
// The errors the engine throws for bad input (the same classes as every onebit package's, so
// `instanceof` holds across them), for callers who depend on @onebit/engine alone.
export { FormatError, LimitError, OnebitError, TruncatedError, UnsupportedError, WrongFileError } from '@onebit/core/errors';
export { SUPPORTED_OPS } from './ops/registry.js';
export { findPackedWeights, type PackedWeight, type PackedWeights } from './packed-weight.js';
export { engineWasmSize } from './wasm.js';
