/**
 * Importer for the authors' released MAT files (McDonnell, ICLR 2018): the MATLAB and Keras wide
 * ResNets, read by @onebit/wrn into its layer list and emitted as an ONNX graph with the binary
 * conv weights marked. It takes every MAT file the plain-net importer does not, so a MAT file that
 * is none of the authors' releases gets readWrnFromMat's sentence saying which variables it lacks.
 */
import { readWrnFromMat, wrnToGraph } from '@onebit/wrn';
import type { Importer } from './importer.js';

export const authorsMatImporter: Importer = {
  name: "the authors' MAT releases",
  uses: ['opset'],
  accepts: (input) => input.mat !== undefined,
  read: ({ mat, fileName, options }) => {
    const net = readWrnFromMat(mat!, fileName);
    return { graph: wrnToGraph(net, options.opset !== undefined ? { opset: options.opset } : {}) };
  },
};
