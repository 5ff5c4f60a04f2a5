/** @onebit/binarize: sign × fixed-scale binarization and detection of already-binary tensors. */
export * from './scale.js';
export * from './binarize.js';
export * from './detect.js';
