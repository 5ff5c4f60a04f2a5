/**
 * Applies a PyTorch state_dict onto an ONNX graph exported from the same model, strictly: every
 * graph parameter with a state_dict tensor takes its value, every state_dict tensor is used, or the
 * run stops naming what is left over. Initializer names are matched to state_dict keys by:
 *  1. prefix     — one key prefix and one graph-name prefix, each of up to three dotted components
 *                  (`model.` of Lightning, `module.`/`module.module.` of DataParallel, `net.`…), are
 *                  chosen so that the most names match once both are stripped (ties: the shortest,
 *                  so '' when names already agree: rule `exact`); with a prefix, only remainders
 *                  that still hold a dotted path (`conv1.weight`, not `weight`) count as agreeing;
 *  2. position   — exporter-renamed weights (`onnx::Conv_123`, …) left over after 1: the k-th such
 *                  Conv weight in node order takes the k-th unused 4-D (rank ≥ 3) `*.weight` key in
 *                  state_dict order, and the k-th Gemm weight the k-th unused 2-D `*.weight` key;
 *                  a Conv bias read by a position-matched Conv takes the key's sibling `*.bias`.
 * Shapes must agree exactly (a mismatch is reported, never reshaped); float16/bfloat16/float64
 * values are converted to a float32 initializer. `*.num_batches_tracked` beside a used batch norm is
 * a training counter inference never reads: it is listed as ignored, not as unused. A graph with
 * fewer BatchNormalization nodes than the state_dict has batch norms, whose statistics are left
 * unused, was exported with batch norm folded into the convs (torch.onnx.export's default eval
 * mode); that is reported as such, since its folded weights cannot take the unfolded ones.
 */
import { ModelError, formatDims, toFloat32, type DType, type Tensor } from '@onebit/core';
import type { OnnxModel, OnnxNode } from '@onebit/onnx';

export type MatchRule = 'exact' | 'prefix' | 'conv-position' | 'gemm-position' | 'bias-of-position';

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
  /** True for a float parameter (a weight, bias or batch-norm input): applying refuses to keep its graph value. */
  readonly required: boolean;
  readonly hint?: string;
}

/** The prefixes stripped before names were compared ('' when none). */
export interface KeyPrefix {
  readonly stateDict: string;
  readonly graph: string;
}

/** Evidence that the graph's convs have batch norm folded in while the state_dict keeps it apart. */
export interface FoldedBatchNorm {
  /** BatchNormalization nodes in the graph. */
  readonly graphBatchNorms: number;
  /** State_dict batch-norm modules (prefix stripped) whose running statistics no graph parameter took. */
  readonly unusedBatchNorms: readonly string[];
}

export interface StateDictMatch {
  readonly prefix: KeyPrefix;
  readonly assignments: readonly StateDictAssignment[];
  readonly mismatches: readonly StateDictMismatch[];
  readonly unmatched: readonly UnmatchedInitializer[];
  /** State_dict keys no graph initializer took (ignoredKeys excluded). */
  readonly unusedKeys: readonly string[];
  /** `*.num_batches_tracked` counters of batch norms that were applied; inference never reads them. */
  readonly ignoredKeys: readonly string[];
  readonly foldedBatchNorm?: FoldedBatchNorm;
}

export interface ApplyStateDictOptions {
  /** Accept state_dict tensors that no graph parameter takes (CLI `--allow-unused`); default false. */
  readonly allowUnused?: boolean;
}

/** Inputs that hold a learned parameter, by op type (ONNX operator specs). */
const PARAMETER_INPUTS: Readonly<Record<string, readonly number[]>> = {
  Conv: [1, 2], ConvTranspose: [1, 2], Gemm: [1, 2], MatMul: [0, 1],
  BatchNormalization: [1, 2, 3, 4], InstanceNormalization: [1, 2], LayerNormalization: [1, 2], PRelu: [1],
};
const FLOATS = new Set<DType>(['float32', 'float16', 'bfloat16', 'float64']);
const MAX_PREFIX_COMPONENTS = 3;

/** '' and every prefix of up to MAX_PREFIX_COMPONENTS dotted components ending in '.' of the names. */
function prefixCandidates(names: Iterable<string>): string[] {
  const out = new Set<string>(['']);
  for (const name of names) {
    let at = -1;
    for (let c = 0; c < MAX_PREFIX_COMPONENTS; c++) {
      at = name.indexOf('.', at + 1);
      if (at < 0 || at === name.length - 1) break;
      out.add(name.slice(0, at + 1));
    }
  }
  return [...out];
}

/** The key and graph prefixes under which the most names agree; ties go to the shortest pair. */
export function findKeyPrefix(graphNames: readonly string[], keys: readonly string[]): KeyPrefix {
  let best = { stateDict: '', graph: '', count: 0 };
  const keyPrefixes = prefixCandidates(keys);
  for (const q of prefixCandidates(graphNames)) {
    const stripped = new Set(graphNames.filter((n) => n.startsWith(q)).map((n) => n.slice(q.length)));
    for (const p of keyPrefixes) {
      let count = 0;
      for (const k of keys) {
        const rest = k.slice(p.length);
        // With a prefix stripped, a bare leaf ('weight') is no evidence: a.weight and b.weight are not one tensor.
        if (k.startsWith(p) && stripped.has(rest) && (p === '' && q === '' ? true : rest.includes('.'))) count++;
      }
      const shorter = p.length + q.length < best.stateDict.length + best.graph.length;
      if (count > best.count || (count === best.count && count > 0 && shorter)) best = { stateDict: p, graph: q, count };
    }
  }
  return { stateDict: best.stateDict, graph: best.graph };
}

/** Matches the graph's initializers to state_dict keys (see the rules above); never throws. */
export function matchStateDict(model: OnnxModel, stateDict: ReadonlyMap<string, Tensor>): StateDictMatch {
  const g = model.graph;
  const readers = new Map<string, OnnxNode[]>();
  for (const n of g.nodes) n.inputs.forEach((input) => readers.set(input, [...(readers.get(input) ?? []), n]));
  const keys = [...stateDict.keys()];
  const prefix = findKeyPrefix(g.initializers.map((i) => i.name), keys);

  const used = new Set<string>();
  const found = new Map<string, { key: string; rule: MatchRule }>();
  const nameRule: MatchRule = prefix.stateDict === '' && prefix.graph === '' ? 'exact' : 'prefix';
  for (const init of g.initializers) {
    if (!init.name.startsWith(prefix.graph)) continue;
    const key = prefix.stateDict + init.name.slice(prefix.graph.length);
    if (!stateDict.has(key) || used.has(key)) continue;
    used.add(key);
    found.set(init.name, { key, rule: nameRule });
  }

  // Rule 2: exporter-renamed Conv/Gemm weights, by position and shape.
  const inits = new Map(g.initializers.map((i) => [i.name, i]));
  const hints = new Map<string, string>();
  const positional = (op: 'Conv' | 'Gemm', keyRank: (r: number) => boolean, rule: MatchRule) => {
    const weights: { node: OnnxNode; name: string }[] = [];
    for (const n of g.nodes) {
      const w = n.inputs[1];
      if (n.opType === op && w !== undefined && inits.has(w) && !found.has(w) && !weights.some((x) => x.name === w)) weights.push({ node: n, name: w });
    }
    const free = keys.filter((k) => !used.has(k) && k.endsWith('weight') && keyRank(stateDict.get(k)!.dims.length));
    weights.forEach(({ node, name }, k) => {
      const key = free[k];
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
    const nodes = readers.get(init.name) ?? [];
    const readBy = [...new Set(nodes.map((n) => n.opType))];
    if (!hit) {
      const required = FLOATS.has(init.tensor.dtype) && nodes.some((n) => (PARAMETER_INPUTS[n.opType] ?? []).some((i) => n.inputs[i] === init.name));
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

  const COUNTER = '.num_batches_tracked';
  const ignoredKeys = keys.filter((k) => !used.has(k) && k.endsWith(COUNTER) && used.has(`${k.slice(0, -COUNTER.length)}.running_mean`));
  const unusedKeys = keys.filter((k) => !used.has(k) && !ignoredKeys.includes(k));
  const batchNorms = keys.filter((k) => k.endsWith('.running_mean') && stateDict.has(`${k.slice(0, -'.running_mean'.length)}.running_var`));
  const graphBatchNorms = g.nodes.filter((n) => n.opType === 'BatchNormalization').length;
  const unusedBatchNorms = batchNorms.filter((k) => !used.has(k)).map((k) => k.slice(0, -'.running_mean'.length)).map((m) => (m.startsWith(prefix.stateDict) ? m.slice(prefix.stateDict.length) : m));
  const foldedBatchNorm = unusedBatchNorms.length && graphBatchNorms < batchNorms.length ? { graphBatchNorms, unusedBatchNorms } : undefined;
  return { prefix, assignments, mismatches, unmatched, unusedKeys, ignoredKeys, ...(foldedBatchNorm ? { foldedBatchNorm } : {}) };
}

function convertible(from: DType, to: DType): boolean {
  return from === to || (to === 'float32' && FLOATS.has(from));
}

const list = (names: readonly string[], max = 4): string => `${names.slice(0, max).join(', ')}${names.length > max ? `, … (${names.length} in all)` : ''}`;

/**
 * A copy of `model` with every matched initializer holding the state_dict's values, and the match
 * report beside it. Throws a ModelError (one sentence, naming the tensors) when the graph has batch
 * norm folded into its convs while the state_dict keeps it apart, when shapes or dtypes disagree,
 * when a graph parameter has no state_dict tensor, or — unless `allowUnused` — when state_dict
 * tensors are left unused.
 */
export function applyStateDict(model: OnnxModel, stateDict: ReadonlyMap<string, Tensor>, options: ApplyStateDictOptions = {}): { model: OnnxModel; match: StateDictMatch } {
  const match = matchStateDict(model, stateDict);
  const folded = match.foldedBatchNorm;
  if (folded) {
    throw new ModelError(
      `The graph has ${folded.graphBatchNorms} BatchNormalization node${folded.graphBatchNorms === 1 ? '' : 's'} but the state_dict's batch norm${folded.unusedBatchNorms.length === 1 ? '' : 's'} ${list(folded.unusedBatchNorms)} match${folded.unusedBatchNorms.length === 1 ? 'es' : ''} none, so the graph was exported with batch norm folded into the convs; export it again with torch.onnx.export(..., training=torch.onnx.TrainingMode.PRESERVE).`,
      folded.unusedBatchNorms[0],
    );
  }
  if (match.mismatches.length) {
    const m = match.mismatches[0]!;
    const more = match.mismatches.length > 1 ? ` (and ${match.mismatches.length - 1} more: ${list(match.mismatches.slice(1).map((x) => x.initializer), 3)})` : '';
    throw new ModelError(
      `Graph initializer '${m.initializer}' is ${m.graph.dtype} ${formatDims(m.graph.dims)} but state_dict '${m.key}' (matched by rule ${m.rule}) is ${m.stateDict.dtype} ${formatDims(m.stateDict.dims)}${more}.`,
      m.initializer,
    );
  }
  const missing = match.unmatched.filter((u) => u.required);
  if (missing.length) {
    const u = missing[0]!;
    throw new ModelError(
      `Graph parameter '${u.name}' (read by ${u.readBy.join('/')}) has no state_dict key${u.hint ? ` (${u.hint})` : ''}; ${missing.length} such parameter${missing.length === 1 ? '' : 's'} in all, ${match.unusedKeys.length} unused key${match.unusedKeys.length === 1 ? '' : 's'}${match.unusedKeys.length ? ` (${list(match.unusedKeys)})` : ''}.`,
      u.name,
    );
  }
  if (match.unusedKeys.length && !options.allowUnused) {
    const n = match.unusedKeys.length;
    throw new ModelError(
      `${n} state_dict tensor${n === 1 ? '' : 's'} match${n === 1 ? 'es' : ''} no graph parameter${match.prefix.stateDict ? ` (after stripping '${match.prefix.stateDict}')` : ''}: ${list(match.unusedKeys)}; pass the graph exported from the same model, or --allow-unused to convert without ${n === 1 ? 'it' : 'them'}.`,
      match.unusedKeys[0],
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
