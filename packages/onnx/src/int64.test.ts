/** Tests of the protobufjs Long conversions: exact values, sign handling, and refusal of unsafe numbers. */
import { describe, expect, it } from 'vitest';
import { LimitError } from '@onebit/core';
import { int64ToBigInt, int64ToNumber } from './int64.js';

describe('int64 conversions', () => {
  it('converts Long-shaped values exactly', () => {
    expect(int64ToBigInt({ low: -1, high: -1, unsigned: false })).toBe(-1n);
    expect(int64ToBigInt({ low: -1, high: -1, unsigned: true })).toBe(2n ** 64n - 1n);
    expect(int64ToBigInt({ low: 0, high: 1, unsigned: false })).toBe(2n ** 32n);
    expect(int64ToNumber({ low: 5, high: 0, unsigned: false }, 'x')).toBe(5);
    expect(int64ToNumber(null, 'x')).toBe(0);
  });
  it('refuses values beyond 2^53 − 1 by name', () => {
    expect(() => int64ToNumber({ low: 0, high: 0x200000, unsigned: false }, 'dimension 0 of tensor "w"'))
      .toThrow(new LimitError('ONNX: dimension 0 of tensor "w" 9007199254740992 exceeds the largest exact integer (2^53 − 1).'));
  });
});
