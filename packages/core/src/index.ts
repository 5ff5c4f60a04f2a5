/** @onebit/core: plain-data tensors, typed errors and a bounds-checked byte reader. */
export * from './errors.js';
export * from './dtype.js';
export * from './tensor.js';
export * from './byte-reader.js';
export * from './wrong-file.js';
export * from './pixel-tables.js';
export * from './class-names.js';
export * from './crc32.js';
export * from './adler32.js';
export * from './sentence-case.js';
export * from './pillow-resize.js';
export * from './preprocess.js';
export * from './image-geometry.js';
export * from './tensor-budget.js';
export * from './exit-status.js';
