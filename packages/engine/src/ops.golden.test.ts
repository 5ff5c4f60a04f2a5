/**
 * Every non-Conv operator against onnxruntime-node on random inputs: pooling (both
 * count_include_pad modes, ceil_mode, asymmetric pads, dilations), reductions, element-wise ops
 * with broadcasting (and the fused batch-norm affine map), layout ops, Gemm/MatMul with float and
 * packed 1-bit weights, and Softmax. Also: an unsupported op is an error at load naming it.
 */
import { tensor } from '@onebit/core';
import { addBinaryWeight, encodeModel, floatAttr, GraphBuilder, type AttrInput, type OnnxModel } from '@onebit/onnx';
import { describe, expect, it } from 'vitest';
import { loadEngine } from './engine.js';
import { UnsupportedOpError } from './errors.js';
import { golden, GOLDEN_REL_TOL, random, randomBits } from './golden.fixture.js';

const i64 = (...v: number[]) => tensor('int64', [v.length], BigInt64Array.from(v.map(BigInt)));

/** x [N, ...dims] → one node (extra inputs/initializers from `extra`) → y. */
function oneNode(opType: string, dims: number[], attrs: Record<string, AttrInput>, extra: (b: GraphBuilder) => string[] = () => [], opset = 13): OnnxModel {
  const b = new GraphBuilder(opType);
  b.input('x', 'float32', ['N', ...dims]);
  b.node(opType, ['x', ...extra(b)], attrs, { outputs: ['y'] });
  b.output('y', 'float32', []);
  return b.build({ opset });
}

const C = 33;
const cases: Array<[string, OnnxModel, number[]]> = [
  ['AveragePool 3×3 s2 p1 count_include_pad=0', oneNode('AveragePool', [C, 9, 7], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 0 }), [C, 9, 7]],
  ['AveragePool 3×3 s2 p1 count_include_pad=1', oneNode('AveragePool', [C, 9, 7], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 }), [C, 9, 7]],
  ['AveragePool 2×3 asymmetric pads ceil_mode', oneNode('AveragePool', [7, 10, 11], { kernel_shape: [2, 3], strides: [2, 2], pads: [0, 1, 1, 2], ceil_mode: 1, count_include_pad: 1 }), [7, 10, 11]],
  ['AveragePool ceil_mode count_include_pad=0', oneNode('AveragePool', [7, 10, 11], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 0, 0, 1], ceil_mode: 1 }), [7, 10, 11]],
  ['MaxPool 3×3 s2 p1', oneNode('MaxPool', [C, 9, 7], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }), [C, 9, 7]],
  ['MaxPool 2×2 dilations 2 ceil_mode', oneNode('MaxPool', [8, 11, 9], { kernel_shape: [2, 2], strides: [2, 1], dilations: [2, 2], ceil_mode: 1 }), [8, 11, 9]],
  ['GlobalAveragePool', oneNode('GlobalAveragePool', [65, 5, 3], {}), [65, 5, 3]],
  ['GlobalMaxPool', oneNode('GlobalMaxPool', [9, 5, 3], {}), [9, 5, 3]],
  ['ReduceSum axes [2,3] keepdims=0', oneNode('ReduceSum', [31, 8, 8], { keepdims: 0 }, (b) => [b.initializer('axes', i64(2, 3))]), [31, 8, 8]],
  ['ReduceSum axes [-1] keepdims=1', oneNode('ReduceSum', [31, 4, 5], {}, (b) => [b.initializer('axes', i64(-1))]), [31, 4, 5]],
  ['ReduceMean axes [2,3] (attribute, opset 13)', oneNode('ReduceMean', [10, 8, 8], { axes: [2, 3], keepdims: 0 }), [10, 8, 8]],
  ['Relu', oneNode('Relu', [C, 5, 7], {}), [C, 5, 7]],
  ['Add same shape (x + x)', (() => { const b = new GraphBuilder('add'); b.input('x', 'float32', ['N', 7, 3]); b.node('Add', ['x', 'x'], {}, { outputs: ['y'] }); b.output('y', 'float32', ['N', 7, 3]); return b.build(); })(), [7, 3]],
  ['Mul per-channel constant', oneNode('Mul', [C, 4, 5], {}, (b) => [b.initializer('a', tensor('float32', [C, 1, 1], random(C, 3)))]), [C, 4, 5]],
  ['Add scalar constant', oneNode('Add', [C, 4, 5], {}, (b) => [b.initializer('a', tensor('float32', [], random(1, 4)))]), [C, 4, 5]],
  ['Sub per-channel constant', oneNode('Sub', [C, 4, 5], {}, (b) => [b.initializer('a', tensor('float32', [1, C, 1, 1], random(C, 5)))]), [C, 4, 5]],
  ['Div by a row constant (general broadcast)', oneNode('Div', [3, 4, 5], {}, (b) => [b.initializer('a', tensor('float32', [5], random(5, 6, 0.5, 2)))]), [3, 4, 5]],
  ['Mul by a [4,1] constant (general broadcast)', oneNode('Mul', [3, 4, 5], {}, (b) => [b.initializer('a', tensor('float32', [4, 1], random(4, 7)))]), [3, 4, 5]],
  ['Pad channels (zero, WRN shortcut)', oneNode('Pad', [9, 4, 4], {}, (b) => [b.initializer('pads', i64(0, 3, 0, 0, 0, 5, 0, 0))]), [9, 4, 4]],
  ['Pad spatial asymmetric with value', oneNode('Pad', [3, 4, 5], {}, (b) => [b.initializer('pads', i64(0, 0, 1, 0, 0, 0, 2, 3)), b.initializer('v', tensor('float32', [], new Float32Array([0.5])))]), [3, 4, 5]],
  ['Slice with steps (option-A shortcut x[:, :, ::2, ::2])', oneNode('Slice', [7, 9, 8], {}, (b) => [b.initializer('s', i64(0, 0)), b.initializer('e', i64(9, 8)), b.initializer('a', i64(2, 3)), b.initializer('st', i64(2, 2))]), [7, 9, 8]],
  ['Slice negative start on channels', oneNode('Slice', [7, 3, 3], {}, (b) => [b.initializer('s', i64(-4)), b.initializer('e', i64(100)), b.initializer('a', i64(1))]), [7, 3, 3]],
  ['Flatten', oneNode('Flatten', [5, 3, 2], { axis: 1 }), [5, 3, 2]],
  ['Reshape [0, -1]', oneNode('Reshape', [5, 3, 2], {}, (b) => [b.initializer('shape', i64(0, -1))]), [5, 3, 2]],
  ['Softmax axis -1', oneNode('Softmax', [10], {}), [10]],
  ['Softmax axis 1 of 4-D', oneNode('Softmax', [7, 2, 3], { axis: 1 }), [7, 2, 3]],
  ['Gemm float transB bias', oneNode('Gemm', [64], { transB: 1 }, (b) => [b.initializer('w', tensor('float32', [10, 64], random(640, 8))), b.initializer('c', tensor('float32', [10], random(10, 9)))]), [64]],
  ['Gemm packed transB alpha beta', oneNode('Gemm', [65], { transB: 1, alpha: floatAttr(0.5), beta: floatAttr(2) }, (b) => [addBinaryWeight(b, 'w', { dims: [9, 65], bits: randomBits(9 * 65, 10), scale: random(9, 11, 0.1, 1) }), b.initializer('c', tensor('float32', [9], random(9, 12)))]), [65]],
  ['MatMul float', oneNode('MatMul', [31], {}, (b) => [b.initializer('w', tensor('float32', [31, 7], random(217, 13)))]), [31]],
  ['BatchNormalization (inference) epsilon 1e-3', oneNode('BatchNormalization', [C, 5, 3], { epsilon: floatAttr(1e-3) }, (b) => [
    b.initializer('g', tensor('float32', [C], random(C, 30))), b.initializer('beta', tensor('float32', [C], random(C, 31))),
    b.initializer('mean', tensor('float32', [C], random(C, 32))), b.initializer('var', tensor('float32', [C], random(C, 33, 0.1, 2)))]), [C, 5, 3]],
  ['MatMul packed (per-tensor scale)', oneNode('MatMul', [33], {}, (b) => [addBinaryWeight(b, 'w', { dims: [33, 8], bits: randomBits(264, 14), scale: 0.25 })]), [33]],
];

function concatModel(): OnnxModel {
  const b = new GraphBuilder('concat');
  b.input('x', 'float32', ['N', 7, 3, 3]);
  b.node('Relu', ['x'], {}, { outputs: ['r'] });
  b.node('Concat', ['x', 'r', 'x'], { axis: 1 }, { outputs: ['y'] });
  b.output('y', 'float32', ['N', 21, 3, 3]);
  return b.build();
}

function affineModel(): OnnxModel {
  const b = new GraphBuilder('bn');
  b.input('x', 'float32', ['N', 9, 5, 5]);
  const a = b.initializer('a', tensor('float32', [1, 9, 1, 1], random(9, 20)));
  const c = b.initializer('c', tensor('float32', [1, 9, 1, 1], random(9, 21)));
  b.node('Mul', ['x', a], {}, { outputs: ['m'] });
  b.node('Add', ['m', c], {}, { outputs: ['s'] });
  b.node('Relu', ['s'], {}, { outputs: ['r'] });
  b.node('Add', ['r', 'x'], {}, { outputs: ['y'] });
  b.output('y', 'float32', ['N', 9, 5, 5]);
  return b.build();
}

/**
 * The shape arithmetic torch.onnx.export writes for ResNet-20's option-A shortcut (pads from
 * ConstantOfShape → Concat → Reshape → Slice(step −1) → Transpose → Reshape → Cast) and for
 * `x.view(x.size(0), -1)` (Shape → Gather → Unsqueeze → Concat → Reshape): folded at load.
 */
function shapeArithmeticModel(): OnnxModel {
  const b = new GraphBuilder('fold');
  b.input('x', 'float32', ['N', 4, 6, 6]);
  b.node('Slice', ['x', b.initializer('s', i64(0, 0)), b.initializer('e', i64(6, 6)), b.initializer('a', i64(2, 3)), b.initializer('st', i64(2, 2))], {}, { outputs: ['sub'] });
  b.node('ConstantOfShape', [b.initializer('two', i64(2))], { value: tensor('int64', [1], BigInt64Array.from([0n])) }, { outputs: ['zeros'] });
  b.node('Concat', [b.initializer('p', i64(0, 0, 0, 0, 2, 2)), 'zeros'], { axis: 0 }, { outputs: ['cat'] });
  b.node('Reshape', ['cat', b.initializer('r', i64(-1, 2))], {}, { outputs: ['pairs'] });
  b.node('Slice', ['pairs', b.initializer('s2', i64(-1)), b.initializer('e2', i64(-9223372036854775807)), b.initializer('a2', i64(0)), b.initializer('st2', i64(-1))], {}, { outputs: ['rev'] });
  b.node('Transpose', ['rev'], { perm: [1, 0] }, { outputs: ['tr'] });
  b.node('Reshape', ['tr', b.initializer('flat', i64(-1))], {}, { outputs: ['pads'] });
  b.node('Cast', ['pads'], { to: 7 }, { outputs: ['pads64'] });
  b.node('Pad', ['sub', 'pads64'], { mode: 'constant' }, { outputs: ['padded'] });
  b.node('Shape', ['padded'], {}, { outputs: ['shape'] });
  b.node('Gather', ['shape', b.initializer('zero', tensor('int64', [], BigInt64Array.from([0n])))], { axis: 0 }, { outputs: ['n'] });
  b.node('Unsqueeze', ['n', b.initializer('ax', i64(0))], {}, { outputs: ['n1'] });
  b.node('Concat', ['n1', b.initializer('m1', i64(-1))], { axis: 0 }, { outputs: ['target'] });
  b.node('Reshape', ['padded', 'target'], {}, { outputs: ['y'] });
  b.output('y', 'float32', ['N', 72]);
  return b.build();
}

describe('operators match onnxruntime-node', () => {
  it('shape arithmetic on constants and Shape of an activation, folded at load (ResNet-20 shortcut and flatten)', async () => {
    const model = shapeArithmeticModel();
    expect((await golden(model, [4, 6, 6], 3)).rel).toBe(0);
    const e = loadEngine(encodeModel(model));
    expect(e.run(new Float32Array(2 * 144), [2, 4, 6, 6])[0]!.dims).toEqual([2, 72]);
  });
  it.each(cases)('%s', async (_, model, dims) => {
    const r = await golden(model, dims, 7);
    expect(r.rel).toBeLessThanOrEqual(GOLDEN_REL_TOL);
  });
  it('Concat on channels (runtime inputs, one repeated)', async () => {
    expect((await golden(concatModel(), [7, 3, 3])).rel).toBe(0);
  });
  it('Mul → Add → Relu (fused batch-norm affine) then a residual Add', async () => {
    expect((await golden(affineModel(), [9, 5, 5])).rel).toBe(0);
  });
});

describe('load-time errors', () => {
  it('an unsupported op is an UnsupportedOpError naming the op and node, raised at load', () => {
    const b = new GraphBuilder('sig');
    b.input('x', 'float32', ['N', 4]);
    b.node('Relu', ['x'], {}, { outputs: ['r'] });
    b.node('Sigmoid', ['r'], {}, { name: 'act', outputs: ['y'] });
    b.output('y', 'float32', ['N', 4]);
    const bytes = encodeModel(b.build());
    expect(() => loadEngine(bytes)).toThrow(UnsupportedOpError);
    expect(() => loadEngine(bytes)).toThrow("onebit engine: node 'act' uses the operator Sigmoid, which the engine does not support; run this model with onnxruntime (runtime 'node' or 'wasm').");
  });
  it('a graph the engine cannot run as a whole (two runtime inputs) is named as the graph, not as a node', () => {
    const b = new GraphBuilder('pair');
    b.input('x', 'float32', ['N', 4]);
    b.input('z', 'float32', ['N', 4]);
    b.node('Add', ['x', 'z'], {}, { outputs: ['y'] });
    b.output('y', 'float32', ['N', 4]);
    expect(() => loadEngine(encodeModel(b.build()))).toThrow("onebit engine: graph 'pair' has 2 runtime inputs (the engine runs single-input models), which the engine does not support; run this model with onnxruntime (runtime 'node' or 'wasm').");
  });
  it('an op the engine only folds is refused at load when its input is computed per image', () => {
    const b = new GraphBuilder('cast');
    b.input('x', 'float32', ['N', 4]);
    b.node('Cast', ['x'], { to: 7 }, { name: 'c', outputs: ['y'] });
    b.output('y', 'int64', ['N', 4]);
    expect(() => loadEngine(encodeModel(b.build()))).toThrow("node 'c' uses Cast with inputs computed per image (the engine evaluates it only on constants, at load)");
  });
  it('an unsupported attribute value is named too', () => {
    const bytes = encodeModel(oneNode('Pad', [3, 4, 4], { mode: 'reflect' }, (b) => [b.initializer('pads', i64(0, 0, 1, 1, 0, 0, 1, 1))]));
    expect(() => loadEngine(bytes)).toThrow("node 'Pad_0' uses Pad with mode 'reflect'");
  });
});
