/** Tests of dtype helpers: exact half/bfloat16 decoding and element copies from unaligned bytes. */
import { describe, expect, it } from 'vitest';
import { allocate, bfloat16ToNumber, float16ToNumber, readElementsLE, toFloat32 } from './dtype.js';
import { LimitError } from './errors.js';
import { elementCount, formatDims, tensor } from './tensor.js';

describe('float16ToNumber', () => {
  it.each([
    [0x3c00, 1], [0xc000, -2], [0x7bff, 65504], [0x0001, 2 ** -24], [0x3555, 0.333251953125], [0x7c00, Infinity], [0x8000, -0],
  ])('decodes 0x%s exactly', (bits, value) => {
    expect(Object.is(float16ToNumber(bits), value)).toBe(true);
  });
  it('decodes NaN', () => expect(float16ToNumber(0x7e00)).toBeNaN());
});

describe('bfloat16ToNumber', () => {
  it('is the high half of a float32', () => {
    expect(bfloat16ToNumber(0x3f80)).toBe(1);
    expect(bfloat16ToNumber(0xc0a0)).toBe(-5);
    expect(bfloat16ToNumber(0x3e2a)).toBe(0.166015625);
  });
});

describe('readElementsLE / toFloat32', () => {
  it('copies from an unaligned offset', () => {
    const bytes = new Uint8Array([9, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
    expect(Array.from(readElementsLE('float32', bytes, 1, 2))).toEqual([1, -2]);
    expect(Array.from(toFloat32('float16', new Uint16Array([0x3c00, 0xc000])))).toEqual([1, -2]);
  });
});

describe('tensor', () => {
  it('checks the element count against the dims', () => {
    expect(tensor('int64', [2], new BigInt64Array([1n, 2n])).dims).toEqual([2]);
    expect(() => tensor('float32', [2, 3], new Float32Array(5))).toThrow('tensor of shape [2, 3] needs 6 elements but its float32 data has 5.');
    expect(elementCount([])).toBe(1);
    expect(formatDims([160, 3, 3, 3])).toBe('160×3×3×3');
  });
});

describe('allocate', () => {
  it('EXPECTED FAILURE: an allocation V8 refuses is a LimitError naming what and how many bytes, not a bare RangeError', () => {
    expect(allocate('int16', 3)).toEqual(new Int16Array(3));
    expect(() => allocate('float32', 2 ** 40, 'the logits of 2^40 images')).toThrow(LimitError);
    expect(() => allocate('float32', 2 ** 40, 'the logits of 2^40 images')).toThrow(
      `the logits of 2^40 images needs ${2 ** 42} bytes, more than this process can allocate (Invalid typed array length: ${2 ** 40}).`);
    expect(() => allocate('uint8', -1)).toThrow('an array of -1 uint8 elements needs -1 bytes, more than this process can allocate (Invalid typed array length: -1).');
  });
});
