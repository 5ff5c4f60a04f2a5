/**
 * Tests of liftBinaryWeights: a packed model (Conv → Relu → Conv, one per-channel and one
 * per-tensor scale, opset 13 and 9) lifts back to float initializers in their original places and
 * the same weights, and packing the lifted model again gives the same bytes; a chain that differs
 * from what onebit writes is left alone.
 */
import { describe, expect, it } from 'vitest';
import { tensor } from '@onebit/core';
import { packSigns, type BinaryWeight } from '@onebit/bits';
import { GraphBuilder } from './graph-builder.js';
import { liftBinaryWeights } from './lift-binary-weights.js';
import { encodeModel, decodeModel } from './model-proto.js';
import { replaceWithBinaryWeights } from './pack-model.js';
import type { OnnxModel } from './model.js';

function model(opset: number): OnnxModel {
  const b = new GraphBuilder('tiny');
  b.input('x', 'float32', [1, 1, 3, 3]);
  b.initializer('a', tensor('float32', [2, 1, 1, 1], new Float32Array([0.3, -0.7])));
  b.initializer('bias', tensor('float32', [2], new Float32Array([0.1, 0.2])));
  b.initializer('b', tensor('float32', [1, 2, 3, 3], new Float32Array(18)));
  const h = b.node('Conv', ['x', 'a', 'bias'], { kernel_shape: [1, 1] }, { name: 'conv_a' });
  const r = b.node('Relu', [h], {}, { name: 'relu' });
  b.output('y', 'float32', [1, 1, 1, 1], b.node('Conv', [r, 'b'], { kernel_shape: [3, 3] }, { name: 'conv_b' }));
  return b.build({ opset });
}

const weights = new Map<string, BinaryWeight>([
  ['a', { dims: [2, 1, 1, 1], bits: packSigns(new Float32Array([1, -1])), scale: new Float32Array([0.5, 2]) }],
  ['b', { dims: [1, 2, 3, 3], bits: packSigns(Float32Array.from({ length: 18 }, (_, i) => (i < 9 ? 1 : -1))), scale: 0.25 }],
]);

describe('liftBinaryWeights', () => {
  it.each([13, 9])('undoes packing exactly at opset %i', (opset) => {
    const packed = decodeModel(encodeModel(replaceWithBinaryWeights(model(opset), weights, 'packed')));
    const lifted = liftBinaryWeights(packed);
    expect([...lifted.weights.keys()]).toEqual(['a', 'b']);
    expect(lifted.weights.get('a')!.scale).toEqual(new Float32Array([0.5, 2]));
    expect(lifted.weights.get('b')!.scale).toBe(0.25);
    expect(Array.from(lifted.weights.get('b')!.bits)).toEqual([0xff, 0x01, 0x00]);
    expect(lifted.model.graph.initializers.map((i) => i.name)).toEqual(['a', 'bias', 'b']);
    expect(Array.from(lifted.model.graph.initializers[0]!.tensor.data as Float32Array)).toEqual([0.5, -2]);
    expect(lifted.model.graph.nodes.map((n) => n.name)).toEqual(['conv_a', 'relu', 'conv_b', 'Identity_3']);
    const again = replaceWithBinaryWeights(lifted.model, lifted.weights, 'packed');
    expect(Buffer.from(encodeModel(again)).equals(Buffer.from(encodeModel(packed)))).toBe(true);
    const float = replaceWithBinaryWeights(lifted.model, lifted.weights, 'float');
    expect(Buffer.from(encodeModel(float)).equals(Buffer.from(encodeModel(replaceWithBinaryWeights(model(opset), weights, 'float'))))).toBe(true);
  });

  it('leaves a chain alone when its scale is not what onebit writes, and a model without chains untouched', () => {
    const packed = replaceWithBinaryWeights(model(13), weights, 'packed');
    const scale = packed.graph.initializers.find((i) => i.name === 'b.scale')!;
    scale.tensor = tensor('float32', [1], new Float32Array([0.25])); // rank 1 instead of a scalar
    expect([...liftBinaryWeights(packed).weights.keys()]).toEqual(['a']);
    const plain = model(13);
    expect(liftBinaryWeights(plain).model).toBe(plain);
  });
});
