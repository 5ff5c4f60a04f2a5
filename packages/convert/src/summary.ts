/**
 * What a conversion produced, in numbers a user can check: layers, binary weights, bytes and
 * the resulting bits per binary weight (the 1-bit floor is ⌈weights/8⌉ bytes). Everything is read
 * from the BinaryGraph itself: family, preprocessing, notes and scale from its metadata
 * (`onebit.family`, `onebit.preprocess`, `onebit.notes`, `onebit.scale`), sizes from its weights.
 */
import type { BinaryGraph, OnnxModel } from '@onebit/onnx';

/** The metadata key every converted model records its input preprocessing under (a preset name). */
export const PREPROCESS_KEY = 'onebit.preprocess';

export interface ConversionSummary {
  readonly inputFormat: string;
  readonly family: string;
  /** What was written: 'packed' or 'float' ONNX, or the 'onebit' container. */
  readonly weights: 'packed' | 'float' | 'onebit';
  readonly binaryLayers: number;
  readonly binaryWeights: number;
  /** Present only when the first output really is [N, classes]. */
  readonly numClasses?: number;
  /** The first output's shape (−1 for a symbolic dimension), when it is not [N, classes]. */
  readonly outputShape?: readonly number[];
  readonly inputShape: readonly number[];
  readonly preprocess: string;
  /** Where the binary weights' scale comes from, e.g. the paper's sqrt(2/fan_in) or a stored value. */
  readonly scale?: string;
  readonly outputBytes: number;
  /** outputBytes · 8 / binaryWeights: everything in the file, BN statistics and graph included. */
  readonly bitsPerWeight: number;
  /** ⌈binaryWeights / 8⌉: the bytes the sign bits alone need. */
  readonly oneBitFloorBytes: number;
  readonly notes: Readonly<Record<string, string | number>>;
  /** Sentences the user must see beside the numbers (e.g. latent weights exactly 0 deployed as +1). */
  readonly remarks?: readonly string[];
}

/** The summary of writing `graph` as `outputBytes` bytes of kind `weights`. */
export function summarize(graph: BinaryGraph, inputFormat: string, weights: ConversionSummary['weights'], outputBytes: number, fallbackFamily = 'ONNX graph'): ConversionSummary {
  const m = graph.model;
  let n = 0;
  for (const w of graph.weights.values()) n += w.dims.reduce((a, b) => a * b, 1);
  const meta = m.metadata;
  return {
    inputFormat,
    family: meta['onebit.family'] ?? fallbackFamily,
    weights,
    binaryLayers: graph.weights.size,
    binaryWeights: n,
    ...graphShapes(m),
    preprocess: meta[PREPROCESS_KEY] ?? 'not recorded (pass --preprocess)',
    ...(meta['onebit.scale'] ? { scale: meta['onebit.scale'] } : {}),
    outputBytes,
    bitsPerWeight: n ? (outputBytes * 8) / n : 0,
    oneBitFloorBytes: Math.ceil(n / 8),
    notes: parseNotes(meta['onebit.notes']),
  };
}

const dimsOf = (dims: readonly (number | string | undefined)[] | undefined): number[] => (dims ?? []).map((d) => (typeof d === 'number' ? d : -1));

/**
 * The shape facts of a graph model's summary: its first non-initializer input's shape, and either
 * `numClasses` (the first output is 2-D [N, classes] with a fixed class count) or `outputShape`.
 */
export function graphShapes(m: OnnxModel): Pick<ConversionSummary, 'inputShape' | 'numClasses' | 'outputShape'> {
  const initNames = new Set(m.graph.initializers.map((i) => i.name));
  const input = m.graph.inputs.find((v) => !initNames.has(v.name));
  const out = m.graph.outputs[0]?.dims;
  const classes = out?.length === 2 && typeof out[1] === 'number' && out[1] > 0 ? out[1] : undefined;
  return { inputShape: dimsOf(input?.dims), ...(classes !== undefined ? { numClasses: classes } : { outputShape: dimsOf(out) }) };
}

function parseNotes(text: string | undefined): Record<string, string | number> {
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string | number>) : {};
  } catch {
    return { notes: text };
  }
}

export function formatSummary(s: ConversionSummary): string[] {
  const mb = (n: number) => `${(n / 1e6).toFixed(3)} MB`;
  const stored = s.weights === 'onebit' ? 'in the .onebit container' : `stored ${s.weights}`;
  return [
    `input        ${s.inputFormat} → ${s.family}`,
    `layers       ${s.binaryLayers} binary conv layers, ${s.numClasses !== undefined ? `${s.numClasses} classes` : `output [${(s.outputShape ?? []).map((d) => (d < 0 ? '?' : d)).join(', ')}]`}, input [${s.inputShape.join(', ')}], preprocess ${s.preprocess}`,
    `weights      ${s.binaryWeights.toLocaleString('en-US')} binary weights, ${stored}`,
    ...(s.scale ? [`scale        ${s.scale}`] : []),
    `size         ${s.outputBytes.toLocaleString('en-US')} bytes (${mb(s.outputBytes)}); 1-bit floor ${s.oneBitFloorBytes.toLocaleString('en-US')} bytes`,
    `bits/weight  ${s.bitsPerWeight.toFixed(3)}`,
    ...(s.remarks ?? []).map((r) => `note         ${r}`),
  ];
}
