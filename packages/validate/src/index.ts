/**
 * @onebit/validate: datasets (CIFAR-10/100, MNIST IDX, ImageNet-style folders, .npy), preprocessing
 * presets and geometry (sharp), onnxruntime runners (node, wasm, browser) behind one interface,
 * accuracy and parity metrics, `validateModel`, cross-runtime parity, gates, shards and merging,
 * JUnit and HTML reports. The only package that imports onnxruntime.
 */
export * from './image-set.js';
export * from './image-source.js';
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
export * from './model-input.js';
export * from './resize.js';
export * from './image-folder.js';
export * from './shard.js';
export * from './merge-reports.js';
export * from './report-json.js';
export * from './report-identity.js';
export * from './report-compat.js';
export * from './cross-runtime.js';
export * from './gates.js';
export * from './junit.js';
export * from './thumbnails.js';
export * from './html-report.js';
export * from './validate-runtimes.js';
export { createEngineBrowserRunner, type EngineBrowserRunner } from './engine-browser-runner.js';
export type { PageDownload } from './page-download.js';
