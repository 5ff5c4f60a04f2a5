/**
 * Importer for the authors' plain (no residual) 20-4 CIFAR-100 network, the third model they
 * released beside the MATLAB and Keras WRNs: @onebit/wrn reads its MAT variables into a layer list
 * and emits the ONNX graph with its binary conv weights marked (scale: the file's LayerScales).
 * It is the example of a model family added as one importer: this file plus a line in ./index.ts.
 */
import { isPlainNet, readPlainNet, wrnToGraph } from '@onebit/wrn';
import type { Importer } from './importer.js';

export const authorsPlainNetImporter: Importer = {
  name: "the authors' plain-net MAT release",
  uses: ['opset'],
  accepts: (input) => input.mat !== undefined && isPlainNet(input.mat),
  read: ({ mat, options }) => ({ graph: wrnToGraph(readPlainNet(mat!), options.opset !== undefined ? { opset: options.opset } : {}) }),
};
