/**
 * Applies a bare PyTorch state_dict onto an ONNX graph exported from the same model. Initializer
 * names are matched to state_dict keys by these rules, tried in order:
 *  1. exact      — the initializer name equals the key;
 *  2. module.    — equal once a leading `module.` (DataParallel) is removed from either side;
 *  3. position   — exporter-renamed weights (`onnx::Conv_123`, …) left over after 1–2: the k-th such
 *                  Conv weight in node order takes the k-th unused 4-D (rank ≥ 3) `*.weight` key in
 *                  state_dict order, and the k-th Gemm weight the k-th unused 2-D `*.weight` key;
 *                  a Conv bias read by a position-matched Conv takes the key's sibling `*.bias`.
 * Shapes must agree exactly (a mismatch is reported, never reshaped); float16/bfloat16/float64
 * values are converted to a float32 initializer. Unused keys (e.g. num_batches_tracked) and graph
 * initializers with no source are reported; the latter keep the graph's values, except Conv, Gemm
 * and MatMul weights, whose absence is an error because they would silently stay random.
 */
import { ModelError, formatDims, toFloat32, type DType, type Tensor } from '@onebit/core';
import type { OnnxModel, OnnxNode } from '@onebit/onnx';

export type MatchRule = 'exact' | 'module.' | 'conv-position' | 'gemm-position' | 'bias-of-position';

export interface StateDictAssignment {
  readonly initializer: string;
  readonly key: string;
  readonly rule: MatchRule;
}

export interface StateDictMismatch {
  readonly initializer: string;
  readonly key: string;
  readonly rule: MatchRule;
  readonly graph: { dtype: DType; dims: readonly number[] };
  readonly stateDict: { dtype: DType; dims: readonly number[] };
}

export interface UnmatchedInitializer {
  readonly name: string;
  /** The op types reading it. */
  readonly readBy: readonly string[];
  /** True for a Conv/Gemm/MatMul weight: applying refuses to keep its graph values. */
  readonly required: boolean;
  readonly hint?: string;
}

export interface StateDictMatch {
  readonly assignments: readonly StateDictAssignment[];
  readonly mismatches: readonly StateDictMismatch[];
  readonly unmatched: readonly UnmatchedInitializer[];
  readonly unusedKeys: readonly string[];
}

const strip = (s: string): string => (s.startsWith('module.') ? s.slice('module.'.length) : s);
const WEIGHT_OPS = new Set(['Conv', 'Gemm', 'MatMul']);

/** Matches the graph's initializers to state_dict keys (see the rules above); never throws for data. */
export function matchStateDict(model: OnnxModel, stateDict: ReadonlyMap<string, Tensor>): StateDictMatch {
  const g = model.graph;
  const readers = new Map<string, OnnxNode[]>();
  for (const n of g.nodes) n.inputs.forEach((input) => readers.set(input, [...(readers.get(input) ?? []), n]));

  const byStripped = new Map<string, string>();
  for (const key of stateDict.keys()) {
    const s = strip(key);
    if (byStripped.has(s)) throw new ModelError(`State_dict keys '${byStripped.get(s)}' and '${key}' are the same tensor name once 'module.' is removed.`, key);
    byStripped.set(s, key);
  }
  const used = new Set<string>();
  const found = new Map<string, { key: string; rule: MatchRule }>();
  for (const init of g.initializers) {
    const rule: MatchRule | undefined = stateDict.has(init.name) ? 'exact' : byStripped.has(strip(init.name)) ? 'module.' : undefined;
    if (!rule) continue;
    const key = rule === 'exact' ? init.name : byStripped.get(strip(init.name))!;
    if (used.has(key)) continue;
    used.add(key);
    found.set(init.name, { key, rule });
  }

  // Rule 3: exporter-renamed Conv/Gemm weights, by position and shape.
  const inits = new Map(g.initializers.map((i) => [i.name, i]));
  const hints = new Map<string, string>();
  const positional = (op: 'Conv' | 'Gemm', keyRank: (r: number) => boolean, rule: MatchRule) => {
    const weights: { node: OnnxNode; name: string }[] = [];
    for (const n of g.nodes) {
      const w = n.inputs[1];
      if (n.opType === op && w !== undefined && inits.has(w) && !found.has(w) && !weights.some((x) => x.name === w)) weights.push({ node: n, name: w });
    }
    const keys = [...stateDict.keys()].filter((k) => !used.has(k) && k.endsWith('weight') && keyRank(stateDict.get(k)!.dims.length));
    weights.forEach(({ node, name }, k) => {
      const key = keys[k];
      if (key === undefined) return;
      used.add(key);
      found.set(name, { key, rule });
      const bias = node.inputs[2];
      if (!bias || !inits.has(bias) || found.has(bias)) return;
      const biasKey = `${key.slice(0, -'weight'.length)}bias`;
      if (stateDict.has(biasKey) && !used.has(biasKey)) {
        used.add(biasKey);
        found.set(bias, { key: biasKey, rule: 'bias-of-position' });
      } else if (op === 'Conv') {
        hints.set(bias, `the state_dict has no '${biasKey}', so the exporter probably folded a BatchNorm into this Conv (TrainingMode.EVAL); re-export with training=torch.onnx.TrainingMode.PRESERVE`);
      }
    });
  };
  positional('Conv', (r) => r >= 3, 'conv-position');
  positional('Gemm', (r) => r === 2, 'gemm-position');

  const assignments: StateDictAssignment[] = [];
  const mismatches: StateDictMismatch[] = [];
  const unmatched: UnmatchedInitializer[] = [];
  for (const init of g.initializers) {
    const hit = found.get(init.name);
    const readBy = [...new Set((readers.get(init.name) ?? []).map((n) => n.opType))];
    if (!hit) {
      const required = (readers.get(init.name) ?? []).some((n) => WEIGHT_OPS.has(n.opType) && n.inputs[1] === init.name);
      const hint = hints.get(init.name);
      unmatched.push({ name: init.name, readBy, required, ...(hint ? { hint } : {}) });
      continue;
    }
    const t = stateDict.get(hit.key)!;
    const sameDims = t.dims.length === init.tensor.dims.length && t.dims.every((d, i) => d === init.tensor.dims[i]);
    if (!sameDims || !convertible(t.dtype, init.tensor.dtype)) {
      mismatches.push({ initializer: init.name, key: hit.key, rule: hit.rule, graph: { dtype: init.tensor.dtype, dims: [...init.tensor.dims] }, stateDict: { dtype: t.dtype, dims: [...t.dims] } });
    } else {
      assignments.push({ initializer: init.name, key: hit.key, rule: hit.rule });
    }
  }
  return { assignments, mismatches, unmatched, unusedKeys: [...stateDict.keys()].filter((k) => !used.has(k)) };
}

const FLOATS = new Set<DType>(['float32', 'float16', 'bfloat16', 'float64']);
function convertible(from: DType, to: DType): boolean {
  return from === to || (to === 'float32' && FLOATS.has(from));
}

/**
 * A copy of `model` with every matched initializer holding the state_dict's values. Throws a
 * ModelError listing the shape/dtype mismatches, or the Conv/Gemm/MatMul weights left without a
 * source; returns the match report beside the model.
 */
export function applyStateDict(model: OnnxModel, stateDict: ReadonlyMap<string, Tensor>): { model: OnnxModel; match: StateDictMatch } {
  const match = matchStateDict(model, stateDict);
  if (match.mismatches.length) {
    const m = match.mismatches[0]!;
    const more = match.mismatches.length > 1 ? ` (and ${match.mismatches.length - 1} more: ${match.mismatches.slice(1, 4).map((x) => x.initializer).join(', ')}${match.mismatches.length > 4 ? ', …' : ''})` : '';
    throw new ModelError(
      `Graph initializer '${m.initializer}' is ${m.graph.dtype} ${formatDims(m.graph.dims)} but state_dict '${m.key}' (matched by rule ${m.rule}) is ${m.stateDict.dtype} ${formatDims(m.stateDict.dims)}${more}.`,
      m.initializer,
    );
  }
  const missing = match.unmatched.filter((u) => u.required);
  if (missing.length) {
    const u = missing[0]!;
    throw new ModelError(
      `Graph weight '${u.name}' (read by ${u.readBy.join('/')}) has no state_dict key${u.hint ? ` (${u.hint})` : ''}; ${missing.length} such weights in all, ${match.unusedKeys.length} unused keys${match.unusedKeys.length ? ` (${match.unusedKeys.slice(0, 4).join(', ')}${match.unusedKeys.length > 4 ? ', …' : ''})` : ''}.`,
      u.name,
    );
  }
  const values = new Map(match.assignments.map((a) => [a.initializer, stateDict.get(a.key)!]));
  const initializers = model.graph.initializers.map((init) => {
    const t = values.get(init.name);
    if (!t) return init;
    const tensor = (init.tensor.dtype === 'float32' ? { dtype: 'float32', dims: [...t.dims], data: Float32Array.from(toFloat32(t.dtype, t.data)) } : { ...t, dims: [...t.dims] }) as Tensor;
    return { name: init.name, tensor };
  });
  return { model: { ...model, graph: { ...model.graph, initializers } }, match };
}
