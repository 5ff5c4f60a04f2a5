/** Tests of already-binary detection and of the distance that drives the "not trained for 1 bit" warning. */
import { describe, expect, it } from 'vitest';
import { tensor } from '@onebit/core';
import { binaryDistance, detectBinary } from './detect.js';

describe('detectBinary', () => {
  it('finds ±a for the whole tensor', () => {
    expect(detectBinary(tensor('float32', [2, 2], new Float32Array([0.5, -0.5, -0.5, 0.5])))).toEqual({ kind: 'plus-minus', scale: 0.5 });
  });
  it('finds ±a per output channel', () => {
    const d = detectBinary(tensor('float32', [2, 2], new Float32Array([0.5, -0.5, -2, 2])));
    expect(d?.kind).toBe('plus-minus-per-channel');
    expect(Array.from((d as { scale: Float32Array }).scale)).toEqual([0.5, 2]);
  });
  it('finds 0/1 bit arrays', () => {
    expect(detectBinary(tensor('uint8', [1, 3], new Uint8Array([0, 1, 1])))).toEqual({ kind: 'bits01' });
  });
  it('says a real float weight is not binary', () => {
    expect(detectBinary(tensor('float32', [1, 3], new Float32Array([0.5, -0.5, 0.25])))).toBeUndefined();
    expect(detectBinary(tensor('float32', [1, 2], new Float32Array([0, 0])))).toBeUndefined();
  });
});

describe('binaryDistance', () => {
  it('is 0 for ±a and √(1 − 2/π) ≈ 0.603 for Gaussian weights', () => {
    expect(binaryDistance(tensor('float32', [1, 4], new Float32Array([1, -1, 1, -1])))).toBe(0);
    // Box–Muller with a fixed LCG: 20 000 standard normal samples.
    const n = 20000;
    const g = new Float32Array(n);
    let s = 12345;
    const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) + 0.5) / 2 ** 32;
    for (let i = 0; i < n; i++) g[i] = Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand());
    expect(binaryDistance(tensor('float32', [100, 200], g))).toBeCloseTo(Math.sqrt(1 - 2 / Math.PI), 1);
  });
});
