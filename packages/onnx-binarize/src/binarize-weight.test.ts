/** Tests of the scale rules on both weight layouts, and of parsing `--scale`. */
import { describe, expect, it } from 'vitest';
import { UnsupportedError, tensor } from '@onebit/core';
import { binarizeCandidate } from './binarize-weight.js';
import { parseScaleRule } from './scale-rule.js';
import type { WeightCandidate } from './candidates.js';

// A [2, 1, 1, 2] Conv weight: filter 0 = [0.5, -1.5], filter 1 = [-0.25, 0.75].
const conv: WeightCandidate = { name: 'w', opType: 'Conv', node: 'c', layout: 'out-in', tensor: tensor('float32', [2, 1, 1, 2], new Float32Array([0.5, -1.5, -0.25, 0.75])) };
// The same numbers as a MatMul B [in=2, out=2].
const matmul: WeightCandidate = { ...conv, opType: 'MatMul', layout: 'in-out', tensor: tensor('float32', [2, 2], new Float32Array([0.5, -1.5, -0.25, 0.75])) };

describe('binarizeCandidate', () => {
  it('he: sqrt(2 / fan_in) with fan_in = C_in·k² for [out, in, k…]', () => {
    const w = binarizeCandidate(conv, 'he');
    expect(w.scale).toBe(Math.sqrt(2 / 2)); // fan_in = 1·1·2
    expect(Array.from(w.bits)).toEqual([0b1001]); // signs + − − +
  });
  it('mean-abs: mean |w| per output channel (BWN)', () => {
    expect(Array.from(binarizeCandidate(conv, 'mean-abs').scale as Float32Array)).toEqual([1, 0.5]);
  });
  it('a number is used as is', () => {
    expect(binarizeCandidate(conv, 0.125).scale).toBe(0.125);
  });
  it('he for [in, out] uses fan_in = dims[0]', () => {
    const big: WeightCandidate = { ...matmul, tensor: tensor('float32', [8, 2], new Float32Array(16).fill(1)) };
    expect(binarizeCandidate(big, 'he').scale).toBe(0.5); // sqrt(2/8)
  });
  it('refuses mean-abs for an [in, out] weight', () => {
    expect(() => binarizeCandidate(matmul, 'mean-abs')).toThrow(UnsupportedError);
    expect(() => binarizeCandidate(matmul, 'mean-abs')).toThrow("Weight 'w' of MatMul 'c' is laid out [in, out]; per-output-channel mean-abs scales are supported only for [out, in] weights (Conv, Gemm with transB=1).");
  });
});

describe('parseScaleRule', () => {
  it('accepts he, mean-abs and positive numbers', () => {
    expect(parseScaleRule('he')).toBe('he');
    expect(parseScaleRule('mean-abs')).toBe('mean-abs');
    expect(parseScaleRule('0.05')).toBe(0.05);
  });
  it('quotes anything else', () => {
    for (const bad of ['', 'bwn', '0', '-1', 'Infinity', 'NaN']) expect(() => parseScaleRule(bad)).toThrow(`--scale must be 'he', 'mean-abs' or a positive number, not '${bad}'.`);
  });
});
