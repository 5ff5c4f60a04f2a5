/**
 * What an importer is: the family-specific part of onebit. Each importer recognises one kind of
 * input and turns it into the one model representation, a BinaryGraph (an ONNX graph whose binary
 * weights are kept as sign bits + scale); the exporters (packed ONNX, float ONNX, .onebit) and the
 * CLI never see the family. A new model family is a new file in this folder, listed in ./index.ts.
 */
import type { ScaleRule } from '@onebit/binarize';
import type { BinarizationReport, LayerPolicy, StateDictMatch } from '@onebit/onnx-binarize';
import type { MatFile } from '@onebit/mat';
import type { BinaryGraph, OnnxModel } from '@onebit/onnx';
import type { ReaderLimits } from '@onebit/core';
import type { ModelFormat } from '../detect-format.js';

/** Options some importers read; an importer that gets one it does not use refuses it (see `uses`). */
export interface ImportOptions {
  /** ONNX opset of a graph the importer builds (default 13; an ONNX input keeps its own). */
  readonly opset?: number;
  /** ONNX and state_dict inputs: the scale rule for weights that are not yet binary (default 'he'). */
  readonly scale?: ScaleRule;
  /** ONNX and state_dict inputs: which weights to binarize. */
  readonly policy?: LayerPolicy;
  /** ONNX and state_dict inputs: also binarize Gemm/MatMul weights. */
  readonly includeGemm?: boolean;
  /** ONNX and state_dict inputs: also binarize ConvTranspose weights. */
  readonly includeConvTranspose?: boolean;
  /** ONNX and state_dict inputs: write the model unchanged instead of failing when no weight is binarized. */
  readonly allowNone?: boolean;
  /** State_dict inputs: accept state_dict tensors no graph parameter takes (default: refuse, naming them). */
  readonly allowUnused?: boolean;
}

/** The input as the importers see it: its bytes, detected format and, for ONNX, the decoded models. */
export interface ImportInput {
  readonly bytes: Uint8Array;
  readonly format: ModelFormat;
  readonly fileName: string;
  /** The input read, when it is a MAT file. */
  readonly mat?: MatFile;
  /** The input decoded, external data loaded, when it is an ONNX model. */
  readonly onnx?: OnnxModel;
  /** The ONNX graph given beside a state_dict (--graph), decoded, external data loaded. */
  readonly graph?: OnnxModel;
  readonly graphFileName?: string;
  readonly options: ImportOptions;
  /** Reader limits raised by the caller (convert's `limits`), for importers that read the bytes themselves. */
  readonly limits?: ReaderLimits;
}

/** What an importer produces: the graph, plus what happened to each weight when it binarized any. */
export interface ImportedModel {
  readonly graph: BinaryGraph;
  /** What the summary says beyond the graph's own metadata (a longer family name, notes, remarks). */
  readonly summary?: { readonly family?: string; readonly notes?: Record<string, string | number>; readonly remarks?: readonly string[] };
  readonly binarization?: BinarizationReport;
  readonly stateDict?: StateDictMatch;
}

export interface Importer {
  /** What it reads, for messages, e.g. "the authors' MAT releases". */
  readonly name: string;
  /** The options (and `graph`) it uses; convert() refuses any other that was given. */
  readonly uses: ReadonlyArray<keyof ImportOptions | 'graph'>;
  /** True when this importer reads `input`; cheap, never throws. */
  accepts(input: ImportInput): boolean;
  /** The input as a BinaryGraph; throws onebit's typed errors for a file it cannot read. */
  read(input: ImportInput): ImportedModel;
}
