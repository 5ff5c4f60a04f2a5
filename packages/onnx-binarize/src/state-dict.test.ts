/**
 * Tests of the state_dict → graph mapping: exact names, `module.` prefixes, exporter-renamed Conv and
 * Gemm weights matched by position (with their biases), shape and dtype mismatches, unused keys,
 * graph weights without a source, and the folded-BatchNorm hint.
 */
import { describe, expect, it } from 'vitest';
import { ModelError, tensor, type Tensor } from '@onebit/core';
import { GraphBuilder, type OnnxModel } from '@onebit/onnx';
import { applyStateDict, matchStateDict } from './state-dict.js';

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
    expect(m.unusedKeys).toEqual(['bn.num_batches_tracked']);
    expect(m.unmatched).toEqual([{ name: 'shape_const', readBy: [], required: false }]);
    expect(m.mismatches).toEqual([]);
  });

  it("strips DataParallel's module. prefix", () => {
    const m = matchStateDict(graph(NAMED), stateDict('module.'));
    expect(m.assignments).toHaveLength(9);
    expect(m.assignments.every((a) => a.rule === 'module.' && a.key === `module.${a.initializer}`)).toBe(true);
  });

  it('matches exporter-renamed Conv and Gemm weights by position, with their biases', () => {
    const m = matchStateDict(graph(RENAMED), stateDict('module.'));
    expect(m.assignments.filter((a) => a.rule !== 'module.').map((a) => `${a.initializer}←${a.key}:${a.rule}`)).toEqual([
      'onnx::Conv_17←module.conv.weight:conv-position', 'onnx::Conv_20←module.conv2.weight:conv-position', 'onnx::Conv_21←module.conv2.bias:bias-of-position',
      'onnx::Gemm_30←module.fc.weight:gemm-position', 'onnx::Gemm_31←module.fc.bias:bias-of-position',
    ]);
    expect(m.unusedKeys).toEqual(['module.bn.num_batches_tracked']);
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
      "Graph weight 'conv2.weight' (read by Conv) has no state_dict key; 1 such weights in all, 2 unused keys (bn.num_batches_tracked, other.weight).",
    );
  });

  it('says when the exporter folded BatchNorm into a Conv', () => {
    const sd = stateDict();
    sd.delete('conv2.bias');
    sd.delete('conv2.weight');
    sd.set('conv2.weight', f32([3, 2, 1, 1]));
    const m = matchStateDict(graph({ ...RENAMED, fc: 'fc.weight', fcb: 'fc.bias' }), sd);
    const bias = m.unmatched.find((u) => u.name === 'onnx::Conv_21')!;
    expect(bias.hint).toBe("the state_dict has no 'conv2.bias', so the exporter probably folded a BatchNorm into this Conv (TrainingMode.EVAL); re-export with training=torch.onnx.TrainingMode.PRESERVE");
  });

  it('refuses two keys that collide once module. is stripped', () => {
    const sd = stateDict();
    sd.set('module.conv.weight', f32([2, 1, 3, 3]));
    expect(() => matchStateDict(graph(NAMED), sd)).toThrow("State_dict keys 'conv.weight' and 'module.conv.weight' are the same tensor name once 'module.' is removed.");
  });
});
