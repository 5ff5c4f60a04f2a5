/** Tests of GraphBuilder: attribute inference, naming rules, outputs, build options, and a subgraph (If) that runs. */
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { tensor } from '@onebit/core';
import { GraphBuilder, floatAttr, floatsAttr } from './graph-builder.js';
import { decodeModel, encodeModel } from './model-proto.js';

describe('GraphBuilder', () => {
  it('infers attribute types from values', () => {
    const b = new GraphBuilder('g');
    b.input('x', 'float32', [1]);
    const t = tensor('float32', [1], new Float32Array([2]));
    b.node('Op', ['x'], { i: 3, f: 0.5, is: [1, 2], fs: [0.5, 1], s: 'same', ss: ['a', 'b'], t, one: floatAttr(1), ones: floatsAttr([1, 2]) }, { domain: 'test' });
    const attrs = b.graph().nodes[0]!.attributes;
    expect(attrs).toEqual({
      i: { type: 'int', value: 3 }, f: { type: 'float', value: 0.5 }, is: { type: 'ints', value: [1, 2] },
      fs: { type: 'floats', value: [0.5, 1] }, s: { type: 'string', value: 'same' }, ss: { type: 'strings', value: ['a', 'b'] },
      t: { type: 'tensor', value: { name: '', tensor: t } }, one: { type: 'float', value: 1 }, ones: { type: 'floats', value: [1, 2] },
    });
  });

  it('names outputs after the node and keeps them unique', () => {
    const b = new GraphBuilder('g');
    b.input('x', 'float32', [1]);
    expect(b.node('Relu', ['x'])).toBe('Relu_0_out');
    expect(b.node('Relu', ['x'], {}, { name: 'r' })).toBe('r_out');
    expect(b.node('Split', ['x'], { axis: 0 }, { outputs: 2 })).toBe('Split_2_out0');
    expect(b.graph().nodes[2]!.outputs).toEqual(['Split_2_out0', 'Split_2_out1']);
    expect(b.node('Relu', ['x'], {}, { outputs: ['mine'] })).toBe('mine');
  });

  it('adds an Identity when an output comes from another value', () => {
    const b = new GraphBuilder('g');
    b.input('x', 'float32', [2]);
    b.output('y', 'float32', [2], b.node('Relu', ['x']));
    b.output('Relu_0_out', 'float32', [2]);
    const g = b.graph();
    expect(g.nodes.map((n) => [n.opType, n.inputs, n.outputs])).toEqual([['Relu', ['x'], ['Relu_0_out']], ['Identity', ['Relu_0_out'], ['y']]]);
    expect(g.outputs.map((o) => o.name)).toEqual(['y', 'Relu_0_out']);
  });

  it('builds with opset 13, producer onebit and a matching IR version by default', () => {
    const b = new GraphBuilder('g');
    b.input('x', 'float32', [1]);
    b.output('y', 'float32', [1], b.node('Relu', ['x']));
    const m = b.build();
    expect([m.irVersion, m.opsetImports, m.producerName]).toEqual([7, [{ domain: '', version: 13 }], 'onebit']);
    expect(b.build({ opset: 7 }).irVersion).toBe(4);
    expect(b.build({ opset: 17 }).irVersion).toBe(8);
  });

  it('keeps an If subgraph through encode/decode, and onnxruntime runs it', async () => {
    const branch = (name: string, value: number) => {
      const g = new GraphBuilder(name);
      g.node('Constant', [], { value: tensor('float32', [1], new Float32Array([value])) }, { outputs: [`${name}_y`] });
      g.output(`${name}_y`, 'float32', [1]);
      return g.graph();
    };
    const b = new GraphBuilder('main');
    b.input('cond', 'bool', []);
    const y = b.node('If', ['cond'], { then_branch: { type: 'graph', value: branch('then', 1) }, else_branch: { type: 'graph', value: branch('else', -1) } });
    b.output('y', 'float32', [1], y);
    const model = b.build({ opset: 13 });
    const bytes = encodeModel(model);
    expect(decodeModel(bytes)).toEqual(model);
    const s = await ort.InferenceSession.create(bytes);
    for (const [cond, want] of [[1, 1], [0, -1]] as const) {
      const out = await s.run({ cond: new ort.Tensor('bool', new Uint8Array([cond]), []) });
      expect(Array.from(out['y']!.data as Float32Array)).toEqual([want]);
    }
    await s.release();
  });
});

describe('GraphBuilder BAD CALL', () => {
  it('refuses duplicate value names', () => {
    const b = new GraphBuilder('g');
    b.input('x', 'float32', [1]);
    expect(() => b.initializer('x', tensor('float32', [1], new Float32Array(1)))).toThrow(new RangeError('initializer "x" reuses a value name already in graph "g".'));
    expect(() => b.node('Relu', ['x'], {}, { outputs: ['x'] })).toThrow(new RangeError('output "x" of node "Relu_0" reuses a value name already in graph "g".'));
  });
  it('refuses duplicate node names and unknown inputs', () => {
    const b = new GraphBuilder('g');
    b.input('x', 'float32', [1]);
    b.node('Relu', ['x'], {}, { name: 'n' });
    expect(() => b.node('Relu', ['x'], {}, { name: 'n' })).toThrow(new RangeError('node name "n" is already used in graph "g".'));
    expect(() => b.node('Relu', ['nope'])).toThrow(new RangeError('input "nope" of node "Relu_1" is not a value of graph "g" yet.'));
  });
  it('refuses unsafe integer attributes and tensors whose data does not fit the shape', () => {
    const b = new GraphBuilder('g');
    b.input('x', 'float32', [1]);
    expect(() => b.node('Op', ['x'], { big: 2 ** 60 })).toThrow(RangeError);
    expect(() => b.initializer('t', { dtype: 'float32', dims: [2], data: new Float32Array(3) })).toThrow(RangeError);
  });
});
