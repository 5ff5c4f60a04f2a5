/**
 * Importer for ONNX models and for PyTorch / safetensors state_dicts applied onto the ONNX graph
 * exported from the same model (--graph). Weights onebit already packed are lifted back to sign bits
 * + scale (liftBinaryWeights); then @onebit/onnx-binarize applies the layer policy and scale rule,
 * keeping weights that are already ±a losslessly.
 */
import { ModelError, UnsupportedError, UsageError } from '@onebit/core';
import { stateDictOf, STATE_DICT_FORMATS } from './state-dict.js';
import { liftBinaryWeights, WEIGHTS_METADATA_KEY, type OnnxModel } from '@onebit/onnx';
import { applyStateDict, binarizeOnnxModel, type StateDictMatch } from '@onebit/onnx-binarize';
import { FORMAT_NAMES } from '../detect-format.js';
import type { Importer } from './importer.js';


export const onnxGraphImporter: Importer = {
  name: 'ONNX models and state_dicts on an ONNX graph',
  uses: ['scale', 'policy', 'includeGemm', 'includeConvTranspose', 'allowNone', 'allowUnused', 'graph'],
  accepts: (input) => input.format === 'onnx' || STATE_DICT_FORMATS.has(input.format),
  read: (input) => {
    const { format, fileName, onnx, graph, options } = input;
    let source: OnnxModel;
    let stateDict: StateDictMatch | undefined;
    if (format === 'onnx') {
      if (graph) throw new UsageError(`${fileName} is already an ONNX model; a graph is only used with a PyTorch or safetensors state_dict.`);
      source = onnx!;
    } else {
      if (!graph) throw new UnsupportedError(`${fileName} is a ${FORMAT_NAMES[format]}, which holds weights but no graph; pass the ONNX graph exported from the same model (onebit convert ${fileName} --graph model.onnx).`);
      const tensors = stateDictOf(input);
      if (tensors.size === 0) throw new ModelError(`${fileName} holds no tensors to apply onto the graph.`);
      const applied = applyStateDict(graph, tensors, { allowUnused: options.allowUnused === true });
      source = applied.model;
      stateDict = applied.match;
    }
    // How the input stored its weights is not part of the model: the exporter records its own choice.
    const { [WEIGHTS_METADATA_KEY]: _, ...metadata } = source.metadata;
    const lifted = liftBinaryWeights({ ...source, metadata });
    const { report, binaryWeights, prepared } = binarizeOnnxModel(lifted.model, {
      weights: 'packed', // its ONNX output is not used: the exporters write the graph
      ...(options.scale !== undefined ? { scale: options.scale } : {}),
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.includeGemm ? { includeGemm: true } : {}),
      ...(options.includeConvTranspose ? { includeConvTranspose: true } : {}),
      ...(options.allowNone ? { allowNone: true } : {}),
    });
    // Every output stores the scale as float32 (ONNX initializer, container section); rounding it here
    // makes the container read back from any output identical to the one written from the source.
    const weights = new Map([...binaryWeights].map(([name, w]) => [name, typeof w.scale === 'number' ? { ...w, scale: Math.fround(w.scale) } : w]));
    // Weights onebit packed stay binary even where the policy does not look (Gemm without --include-gemm), unless it keeps them.
    const kept = new Set(report.layers.filter((l) => l.action === 'kept').map((l) => l.name));
    for (const [name, w] of lifted.weights) if (!weights.has(name) && !kept.has(name)) weights.set(name, w);
    return { graph: { model: prepared, weights }, binarization: report, ...(stateDict ? { stateDict } : {}) };
  },
};
