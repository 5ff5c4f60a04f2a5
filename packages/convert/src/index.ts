/** @onebit/convert: format detection and conversion of checkpoints to 1-bit ONNX. */
export * from './detect-format.js';
export * from './summary.js';
export * from './convert.js';
export * from './inspect.js';
export * from './wrn-container.js';
export * from './onnx-to-wrn.js';
export * from './container-convert.js';
export * from './graph-container.js';
export * from './binary-wide-resnet.js';
