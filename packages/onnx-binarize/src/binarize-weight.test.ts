/** Tests of the scale rules on both weight layouts, of own-scale detection, and of parsing `--scale`. */
import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '@onebit/core';
import { binarizeCandidate, ownBinaryWeight } from './binarize-weight.js';
import { parseScaleRule } from './scale-rule.js';
import type { WeightCandidate } from './candidates.js';

const candidate = (opType: WeightCandidate['opType'], dims: number[], values: number[], outAxis: number, fanIn: number): WeightCandidate => ({
  name: 'w', value: 'w', opType, node: 'c', consumers: [0], layout: outAxis === 0 ? 'out-in' : 'in-out', outAxis, fanIn, dims, dtype: 'float32',
  tensor: { dtype: 'float32', dims, values: Float64Array.from(values) },
});
// A [2, 1, 1, 2] Conv weight: filter 0 = [0.5, -1.5], filter 1 = [-0.25, 0.75].
const conv = candidate('Conv', [2, 1, 1, 2], [0.5, -1.5, -0.25, 0.75], 0, 2);
// The same numbers as a MatMul B [in=2, out=2].
const matmul = candidate('MatMul', [2, 2], [0.5, -1.5, -0.25, 0.75], 1, 2);

describe('binarizeCandidate', () => {
  it('he: sqrt(2 / fan_in) with fan_in = C_in·k² for [out, in, k…]', () => {
    const { weight: w } = binarizeCandidate(conv, 'he');
    expect(w.scale).toBe(Math.sqrt(2 / 2)); // fan_in = 1·1·2
    expect(Array.from(w.bits)).toEqual([0b1001]); // signs + − − +
  });
  it('mean-abs: mean |w| per output channel (BWN)', () => {
    expect(Array.from(binarizeCandidate(conv, 'mean-abs').weight.scale as Float32Array)).toEqual([1, 0.5]);
  });
  it('a number is used as is', () => {
    expect(binarizeCandidate(conv, 0.125).weight.scale).toBe(0.125);
  });
  it('he for [in, out] uses fan_in = dims[0]', () => {
    const big = candidate('MatMul', [8, 2], new Array<number>(16).fill(1), 1, 8);
    expect(binarizeCandidate(big, 'he').weight.scale).toBe(0.5); // sqrt(2/8)
  });
  it('refuses mean-abs for an [in, out] weight', () => {
    expect(() => binarizeCandidate(matmul, 'mean-abs')).toThrow(UnsupportedError);
    expect(() => binarizeCandidate(matmul, 'mean-abs')).toThrow("Weight 'w' of MatMul 'c' is laid out [in, out]; per-output-channel mean-abs scales are supported only for [out, in] weights (Conv, Gemm with transB=1).");
  });
});

describe('ownBinaryWeight', () => {
  it('keeps a per-output-channel ±a along axis 1 of a ConvTranspose weight [in, out, k] as a channel scale', () => {
    // in = 2, out = 2, k = 2: channel 0 is ±0.5, channel 1 is ±2 (rows of dims[0] mix both).
    const t = candidate('ConvTranspose', [2, 2, 2], [0.5, -0.5, 2, -2, -0.5, 0.5, -2, 2], 1, 4);
    const own = ownBinaryWeight(t)!;
    expect(own.weight.scale).toBe(1);
    expect(own.axisScale!.axis).toBe(1);
    expect(Array.from(own.axisScale!.scale)).toEqual([0.5, 2]);
    expect(Array.from(own.weight.bits)).toEqual([0b10100101]) // signs + − + − − + − +;
  });
  it('counts exact zeros of a ±a tensor and makes them +a', () => {
    const own = ownBinaryWeight(candidate('Conv', [1, 1, 1, 4], [0, -0.25, 0.25, 0], 0, 4))!;
    expect(own).toMatchObject({ zeros: 2, ownScale: true });
    expect(own.weight.scale).toBe(0.25);
    expect(Array.from(own.weight.bits)).toEqual([0b1101]);
  });
  it('is undefined for a float weight', () => {
    expect(ownBinaryWeight(conv)).toBeUndefined();
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
