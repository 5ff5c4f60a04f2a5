/**
 * Conv against onnxruntime-node: packed 1-bit and float weights over the edge channel counts
 * (1, 7, 8, 9, 31, 32, 33, 63, 64, 65), odd spatial sizes, stride 2, asymmetric pads, dilations,
 * groups, bias, per-tensor and per-channel scales, and weights whose size is not a multiple of 8;
 * and, after a Relu, Convs that write their output over their input's buffer (the Relu's output has
 * no other reader), grouped and not, or cannot because a group's output would reach the next group's input.
 */
import { tensor } from '@onebit/core';
import { addBinaryWeight, GraphBuilder, type OnnxModel } from '@onebit/onnx';
import { describe, expect, it } from 'vitest';
import { golden, GOLDEN_REL_TOL, random, randomBits } from './golden.fixture.js';

interface ConvCase {
  cin: number; cout: number; h: number; w: number; k: [number, number];
  strides?: [number, number]; pads?: [number, number, number, number]; dilations?: [number, number];
  group?: number; bias?: boolean; perTensor?: boolean;
  /** Input through a Relu first: the Conv's input is then an activation it may overwrite. */
  relu?: boolean;
}

function convModel(c: ConvCase, binary: boolean, seed: number): OnnxModel {
  const b = new GraphBuilder('conv');
  b.input('x', 'float32', ['N', c.cin, c.h, c.w]);
  const group = c.group ?? 1;
  const dims = [c.cout, c.cin / group, ...c.k];
  const n = dims.reduce((p, d) => p * d, 1);
  const weight = binary
    ? addBinaryWeight(b, 'w', { dims, bits: randomBits(n, seed), scale: c.perTensor ? 0.37 : random(c.cout, seed + 1, 0.1, 2) })
    : b.initializer('w', tensor('float32', dims, random(n, seed)));
  if (c.relu) b.node('Relu', ['x'], {}, { outputs: ['r'] });
  const inputs = [c.relu ? 'r' : 'x', weight];
  if (c.bias) inputs.push(b.initializer('bias', tensor('float32', [c.cout], random(c.cout, seed + 2))));
  const attrs: Record<string, number[] | number> = { kernel_shape: c.k, strides: c.strides ?? [1, 1], pads: c.pads ?? [0, 0, 0, 0], group };
  if (c.dilations) attrs.dilations = c.dilations;
  b.node('Conv', inputs, attrs, { outputs: ['y'] });
  b.output('y', 'float32', ['N', c.cout, undefined, undefined]);
  return b.build({ opset: 13 });
}

const EDGE = [1, 7, 8, 9, 31, 32, 33, 63, 64, 65];
const cases: ConvCase[] = EDGE.map((cin, i) => ({
  cin,
  cout: EDGE[(i + 3) % EDGE.length]!,
  h: 7 + (i % 3) * 2,
  w: 9 - (i % 2) * 4,
  k: [3, 3],
  strides: i % 2 ? [2, 2] : [1, 1],
  pads: i % 3 === 0 ? [1, 1, 1, 1] : i % 3 === 1 ? [0, 2, 1, 0] : [2, 0, 0, 1],
  bias: i % 4 === 1,
  perTensor: i % 5 === 2,
}));
cases.push(
  { cin: 16, cout: 24, h: 11, w: 13, k: [1, 1] },
  { cin: 12, cout: 9, h: 9, w: 10, k: [5, 3], dilations: [2, 1], pads: [3, 1, 2, 2], strides: [1, 2] },
  { cin: 10, cout: 6, h: 8, w: 8, k: [3, 3], group: 2, pads: [1, 1, 1, 1], bias: true },
  { cin: 9, cout: 9, h: 6, w: 17, k: [3, 3], group: 9, pads: [1, 1, 1, 1], strides: [2, 1] },
  { cin: 7, cout: 1, h: 5, w: 5, k: [3, 3] },
  { cin: 3, cout: 160, h: 32, w: 32, k: [3, 3], pads: [1, 1, 1, 1] },
  { cin: 33, cout: 33, h: 9, w: 7, k: [3, 3], pads: [1, 1, 1, 1], relu: true },
  { cin: 32, cout: 64, h: 9, w: 9, k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], relu: true, bias: true },
  { cin: 10, cout: 6, h: 8, w: 8, k: [3, 3], group: 2, pads: [1, 1, 1, 1], relu: true },
  { cin: 9, cout: 9, h: 6, w: 17, k: [3, 3], group: 9, pads: [1, 1, 1, 1], strides: [2, 1], relu: true },
  { cin: 4, cout: 12, h: 7, w: 7, k: [3, 3], group: 2, pads: [1, 1, 1, 1], relu: true },
);

const label = (c: ConvCase) =>
  `${c.cin}→${c.cout} ${c.h}×${c.w} k${c.k.join('×')} s${(c.strides ?? [1, 1]).join('×')} p${(c.pads ?? [0, 0, 0, 0]).join(',')}${c.dilations ? ` d${c.dilations.join('×')}` : ''}${c.group ? ` g${c.group}` : ''}${c.bias ? ' bias' : ''}${c.perTensor ? ' per-tensor' : ''}${c.relu ? ' after Relu' : ''}`;

describe('Conv matches onnxruntime-node', () => {
  it.each(cases.map((c, i) => [label(c), c, i] as const))('binary %s', async (_, c, i) => {
    const r = await golden(convModel(c, true, 100 + i), [c.cin, c.h, c.w], i);
    expect(r.engine.length).toBe(r.reference.length);
    expect(r.rel).toBeLessThanOrEqual(GOLDEN_REL_TOL);
  });
  it.each(cases.map((c, i) => [label(c), c, i] as const))('float %s', async (_, c, i) => {
    const r = await golden(convModel(c, false, 200 + i), [c.cin, c.h, c.w], i);
    expect(r.rel).toBeLessThanOrEqual(GOLDEN_REL_TOL);
  });
});
