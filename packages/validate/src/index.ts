/**
 * @onebit/validate: datasets (CIFAR-10/100, MNIST IDX, .npy), preprocessing presets, onnxruntime
 * runners (node, wasm) behind one interface, accuracy and parity metrics, and `validateModel`.
 * The only package that imports onnxruntime.
 */
export * from './image-set.js';
export * from './cifar.js';
export * from './idx.js';
export * from './mnist.js';
export * from './load-image-set.js';
export * from './npy.js';
export * from './preprocess.js';
export * from './runner.js';
export * from './top-k.js';
export * from './wilson.js';
export * from './accuracy.js';
export * from './parity.js';
export * from './validate-model.js';
