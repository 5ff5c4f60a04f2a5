/**
 * Importer for the authors' released MAT files (McDonnell, ICLR 2018): the MATLAB and Keras wide
 * ResNets, read by @onebit/wrn into its layer list and emitted as an ONNX graph with the binary
 * conv weights marked.
 */
import { readMat } from '@onebit/mat';
import { readWrnFromMat, wrnToGraph } from '@onebit/wrn';
import type { Importer } from './importer.js';

export const authorsMatImporter: Importer = {
  name: "the authors' MAT releases",
  uses: ['opset'],
  accepts: (input) => input.format === 'mat',
  read: ({ bytes, fileName, options }) => {
    const net = readWrnFromMat(readMat(bytes), fileName);
    return { graph: wrnToGraph(net, options.opset !== undefined ? { opset: options.opset } : {}) };
  },
};
