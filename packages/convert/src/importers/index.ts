/**
 * The importers convert() tries, in order; the first whose `accepts` is true reads the input. Add
 * a new model family here (its own file beside this one); nothing else needs to know about it.
 */
import { authorsMatImporter } from './authors-mat.js';
import { authorsPlainNetImporter } from './authors-plain-net.js';
import { binaryWideResnetImporter } from './binary-wide-resnet.js';
import type { Importer } from './importer.js';
import { onebitContainerImporter } from './onebit-container.js';
import { onnxGraphImporter } from './onnx-graph.js';

export const IMPORTERS: readonly Importer[] = [authorsPlainNetImporter, authorsMatImporter, binaryWideResnetImporter, onnxGraphImporter, onebitContainerImporter];

export type { ImportedModel, Importer, ImportInput, ImportOptions } from './importer.js';
