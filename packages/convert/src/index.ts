/**
 * @onebit/convert: converts any supported model file into bit-packed ONNX, float ONNX or the
 * .onebit container through one model representation (an ONNX graph with binary weights).
 * Layout: ./importers (one per model family or input kind) → BinaryGraph (@onebit/onnx) →
 * exporters (binaryGraphToOnnx; ./onebit-container.ts) — all routed by convert() in ./convert.ts.
 */
export * from './detect-format.js';
export * from './summary.js';
export * from './convert.js';
export * from './inspect.js';
export * from './onebit-container.js';
export { IMPORTERS, type ImportedModel, type Importer, type ImportInput, type ImportOptions } from './importers/index.js';
export * from './size-forms.js';
