/**
 * Tests of the strict state_dict → graph mapping: exact names, common key prefixes (`module.`,
 * `model.`, `module.module.`, a prefixed graph), exporter-renamed Conv and Gemm weights matched by
 * position (with their biases), shape and dtype mismatches, unused keys (refused unless allowed),
 * ignored batch-norm counters, graph parameters without a source, and folded batch norm.
 */
import { describe, expect, it } from 'vitest';
import { ModelError, tensor, type Tensor } from '@onebit/core';
import { GraphBuilder, type OnnxModel } from '@onebit/onnx';
import { applyStateDict, findKeyPrefix, matchStateDict } from './state-dict.js';

const f32 = (dims: number[], fill = 0) => tensor('float32', dims, new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(fill));

/** x → Conv(conv) → BatchNormalization(bn) → Conv(conv2, with bias) → Flatten → Gemm(fc). Names are parameters'. */
function graph(names: { conv: string; conv2: string; conv2b: string; fc: string; fcb: string }): OnnxModel {
  const b = new GraphBuilder('g');
  b.input('x', 'float32', [1, 1, 4, 4]);
  b.initializer(names.conv, f32([2, 1, 3, 3]));
  for (const p of ['bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var']) b.initializer(p, f32([2]));
  b.initializer(names.conv2, f32([3, 2, 1, 1]));
  b.initializer(names.conv2b, f32([3]));
  b.initializer(names.fc, f32([4, 12]));
  b.initializer(names.fcb, f32([4]));
  b.initializer('shape_const', tensor('int64', [1], new BigInt64Array([-1n])));
  const c = b.node('Conv', ['x', names.conv], { pads: [1, 1, 1, 1] });
  const n = b.node('BatchNormalization', [c, 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var']);
  const c2 = b.node('Conv', [n, names.conv2, names.conv2b], { strides: [2, 2] });
  const f = b.node('Flatten', [c2]);
  const y = b.node('Gemm', [f, names.fc, names.fcb], { transB: 1 });
  b.output('y', 'float32', [1, 4], y);
  return b.build();
}
const NAMED = { conv: 'conv.weight', conv2: 'conv2.weight', conv2b: 'conv2.bias', fc: 'fc.weight', fcb: 'fc.bias' };
const RENAMED = { conv: 'onnx::Conv_17', conv2: 'onnx::Conv_20', conv2b: 'onnx::Conv_21', fc: 'onnx::Gemm_30', fcb: 'onnx::Gemm_31' };

function stateDict(prefix = '', overrides: Record<string, Tensor> = {}): Map<string, Tensor> {
  const sd = new Map<string, Tensor>([
    ['conv.weight', f32([2, 1, 3, 3], 1)],
    ['bn.weight', f32([2], 2)], ['bn.bias', f32([2], 3)], ['bn.running_mean', f32([2], 4)], ['bn.running_var', f32([2], 5)],
    ['bn.num_batches_tracked', tensor('int64', [], new BigInt64Array([100n]))],
    ['conv2.weight', f32([3, 2, 1, 1], 6)], ['conv2.bias', f32([3], 7)],
    ['fc.weight', f32([4, 12], 8)], ['fc.bias', f32([4], 9)],
  ]);
  for (const [k, v] of Object.entries(overrides)) sd.set(k, v);
  return new Map([...sd].map(([k, v]) => [prefix + k, v]));
}

describe('matchStateDict', () => {
  it('matches exact names and reports unused keys and graph-only initializers', () => {
    const m = matchStateDict(graph(NAMED), stateDict());
    expect(m.assignments.map((a) => `${a.initializer}←${a.key}:${a.rule}`)).toEqual([
      'conv.weight←conv.weight:exact', 'bn.weight←bn.weight:exact', 'bn.bias←bn.bias:exact', 'bn.running_mean←bn.running_mean:exact',
      'bn.running_var←bn.running_var:exact', 'conv2.weight←conv2.weight:exact', 'conv2.bias←conv2.bias:exact', 'fc.weight←fc.weight:exact', 'fc.bias←fc.bias:exact',
    ]);
    expect(m.prefix).toEqual({ stateDict: '', graph: '' });
    expect(m.unusedKeys).toEqual([]);
    expect(m.ignoredKeys).toEqual(['bn.num_batches_tracked']);
    expect(m.unmatched).toEqual([{ name: 'shape_const', readBy: [], required: false }]);
    expect(m.mismatches).toEqual([]);
  });

  for (const prefix of ['module.', 'model.', 'net.', 'module.module.', 'model.module.']) {
    it(`finds and strips the key prefix '${prefix}'`, () => {
      const m = matchStateDict(graph(NAMED), stateDict(prefix));
      expect(m.prefix).toEqual({ stateDict: prefix, graph: '' });
      expect(m.assignments).toHaveLength(9);
      expect(m.assignments.every((a) => a.rule === 'prefix' && a.key === `${prefix}${a.initializer}`)).toBe(true);
      expect(m.unusedKeys).toEqual([]);
    });
  }

  it("strips a prefix of the graph's names (a graph exported from a wrapper module)", () => {
    const prefixed = Object.fromEntries(Object.entries(NAMED).map(([k, v]) => [k, `model.${v}`])) as typeof NAMED;
    const g = graph(prefixed);
    g.graph.initializers = g.graph.initializers.map((i) => (i.name.startsWith('bn.') ? { ...i, name: `model.${i.name}` } : i));
    g.graph.nodes = g.graph.nodes.map((n) => ({ ...n, inputs: n.inputs.map((x) => (x.startsWith('bn.') ? `model.${x}` : x)) }));
    const m = matchStateDict(g, stateDict('module.'));
    expect(m.prefix).toEqual({ stateDict: 'module.', graph: 'model.' });
    expect(m.assignments.map((a) => `${a.initializer}←${a.key}`)).toContain('model.bn.running_var←module.bn.running_var');
    expect(m.assignments).toHaveLength(9);
  });

  it('prefers no prefix when names already agree, and the prefix under which most names agree', () => {
    expect(findKeyPrefix(['a.w', 'b.w'], ['a.w', 'b.w', 'x.a.w'])).toEqual({ stateDict: '', graph: '' });
    expect(findKeyPrefix(['a.w', 'b.w'], ['x.a.w', 'x.b.w', 'a.w'])).toEqual({ stateDict: 'x.', graph: '' });
    expect(findKeyPrefix(['a.w'], ['b.w'])).toEqual({ stateDict: '', graph: '' });
    expect(findKeyPrefix(['conv.weight', 'fc.weight'], ['m.conv.weight', 'm.fc.bias'])).toEqual({ stateDict: 'm.', graph: '' });
  });

  it('matches exporter-renamed Conv and Gemm weights by position, with their biases', () => {
    const m = matchStateDict(graph(RENAMED), stateDict('module.'));
    expect(m.assignments.filter((a) => a.rule !== 'prefix').map((a) => `${a.initializer}←${a.key}:${a.rule}`)).toEqual([
      'onnx::Conv_17←module.conv.weight:conv-position', 'onnx::Conv_20←module.conv2.weight:conv-position', 'onnx::Conv_21←module.conv2.bias:bias-of-position',
      'onnx::Gemm_30←module.fc.weight:gemm-position', 'onnx::Gemm_31←module.fc.bias:bias-of-position',
    ]);
    expect(m.unusedKeys).toEqual([]);
    expect(m.ignoredKeys).toEqual(['module.bn.num_batches_tracked']);
  });

  it('reports a shape mismatch instead of applying it', () => {
    const m = matchStateDict(graph(NAMED), stateDict('', { 'conv2.weight': f32([3, 2, 3, 3]) }));
    expect(m.mismatches).toEqual([{ initializer: 'conv2.weight', key: 'conv2.weight', rule: 'exact', graph: { dtype: 'float32', dims: [3, 2, 1, 1] }, stateDict: { dtype: 'float32', dims: [3, 2, 3, 3] } }]);
    expect(() => applyStateDict(graph(NAMED), stateDict('', { 'conv2.weight': f32([3, 2, 3, 3]) }))).toThrow(
      new ModelError("Graph initializer 'conv2.weight' is float32 3×2×1×1 but state_dict 'conv2.weight' (matched by rule exact) is float32 3×2×3×3.", 'conv2.weight'),
    );
  });

  it('reports a positional match whose shape differs (a different architecture)', () => {
    const sd = stateDict('', { 'conv.weight': f32([2, 1, 5, 5]) });
    const m = matchStateDict(graph(RENAMED), sd);
    expect(m.mismatches.map((x) => `${x.initializer}←${x.key}:${x.rule}`)).toEqual(['onnx::Conv_17←conv.weight:conv-position']);
  });
});

describe('applyStateDict', () => {
  it('copies the values, converting float16 to float32 initializers', () => {
    const half = tensor('float16', [4], new Uint16Array([0x3c00, 0xc000, 0x3800, 0x0000])); // 1, −2, 0.5, 0
    const { model } = applyStateDict(graph(NAMED), stateDict('module.', { 'fc.bias': half }));
    const value = (n: string) => Array.from(model.graph.initializers.find((i) => i.name === n)!.tensor.data as Float32Array);
    expect(value('fc.bias')).toEqual([1, -2, 0.5, 0]);
    expect(model.graph.initializers.find((i) => i.name === 'fc.bias')!.tensor.dtype).toBe('float32');
    expect(value('bn.running_var')).toEqual([5, 5]);
    expect(value('conv.weight')).toEqual(Array(18).fill(1));
    expect(model.graph.nodes).toEqual(graph(NAMED).graph.nodes);
  });

  it('refuses to keep a graph Conv weight without a source, naming it and the unused keys', () => {
    const sd = stateDict();
    sd.delete('conv2.weight');
    sd.set('other.weight', f32([7]));
    expect(() => applyStateDict(graph(NAMED), sd)).toThrow(
      new ModelError("Graph parameter 'conv2.weight' (read by Conv) has no state_dict key; 1 such parameter in all, 1 unused key (other.weight).", 'conv2.weight'),
    );
  });

  it('refuses to keep a batch-norm parameter or a bias from the graph', () => {
    const sd = stateDict();
    sd.delete('bn.running_var');
    expect(() => applyStateDict(graph(NAMED), sd)).toThrow("Graph parameter 'bn.running_var' (read by BatchNormalization) has no state_dict key; 1 such parameter in all, 0 unused keys.");
    const sd2 = stateDict();
    sd2.delete('fc.bias');
    expect(() => applyStateDict(graph(NAMED), sd2)).toThrow("Graph parameter 'fc.bias' (read by Gemm) has no state_dict key; 1 such parameter in all, 0 unused keys.");
  });

  it('refuses unused state_dict tensors, naming them, unless allowUnused', () => {
    const sd = stateDict('model.');
    sd.set('model.head.weight', f32([2, 2]));
    sd.set('ema.decay', f32([1]));
    expect(() => applyStateDict(graph(NAMED), sd)).toThrow(
      new ModelError("2 state_dict tensors match no graph parameter (after stripping 'model.'): model.head.weight, ema.decay; pass the graph exported from the same model, or --allow-unused to convert without them.", 'model.head.weight'),
    );
    const { match } = applyStateDict(graph(NAMED), sd, { allowUnused: true });
    expect(match.unusedKeys).toEqual(['model.head.weight', 'ema.decay']);
    expect(match.assignments).toHaveLength(9);
  });

  it('keeps the position-matched Conv bias hint when the state_dict has no bias', () => {
    const sd = stateDict();
    sd.delete('conv2.bias');
    const m = matchStateDict(graph({ ...RENAMED, fc: 'fc.weight', fcb: 'fc.bias' }), sd);
    const bias = m.unmatched.find((u) => u.name === 'onnx::Conv_21')!;
    expect(bias).toEqual({ name: 'onnx::Conv_21', readBy: ['Conv'], required: true, hint: "the state_dict has no 'conv2.bias', so the exporter probably folded a BatchNorm into this Conv (TrainingMode.EVAL); re-export with training=torch.onnx.TrainingMode.PRESERVE" });
  });

  it('says the graph has batch norm folded into its convs and how to export it instead', () => {
    // The eval-mode export of the graph above: no BatchNormalization node; the first conv got a bias.
    const b = new GraphBuilder('folded');
    b.input('x', 'float32', [1, 1, 4, 4]);
    b.initializer('onnx::Conv_17', f32([2, 1, 3, 3]));
    b.initializer('onnx::Conv_18', f32([2]));
    b.initializer('onnx::Conv_20', f32([3, 2, 1, 1]));
    b.initializer('onnx::Conv_21', f32([3]));
    b.initializer('fc.weight', f32([4, 12]));
    b.initializer('fc.bias', f32([4]));
    const c = b.node('Conv', ['x', 'onnx::Conv_17', 'onnx::Conv_18'], { pads: [1, 1, 1, 1] });
    const c2 = b.node('Conv', [c, 'onnx::Conv_20', 'onnx::Conv_21'], { strides: [2, 2] });
    const y = b.node('Gemm', [b.node('Flatten', [c2]), 'fc.weight', 'fc.bias'], { transB: 1 });
    b.output('y', 'float32', [1, 4], y);
    const m = matchStateDict(b.build(), stateDict('model.'));
    expect(m.foldedBatchNorm).toEqual({ graphBatchNorms: 0, unusedBatchNorms: ['bn'] });
    expect(() => applyStateDict(b.build(), stateDict('model.'), { allowUnused: true })).toThrow(
      new ModelError("The graph has 0 BatchNormalization nodes but the state_dict's batch norm bn matches none, so the graph was exported with batch norm folded into the convs; export it again with torch.onnx.export(..., training=torch.onnx.TrainingMode.PRESERVE).", 'bn'),
    );
  });

  it('uses each key once: a key and its prefixed twin leave the twin unused', () => {
    const sd = stateDict();
    sd.set('module.conv.weight', f32([2, 1, 3, 3]));
    expect(matchStateDict(graph(NAMED), sd).unusedKeys).toEqual(['module.conv.weight']);
  });
});
