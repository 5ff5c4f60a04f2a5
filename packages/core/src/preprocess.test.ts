/** Tests of the preprocessing presets: raw255 is the identity on bytes, cifar-torchvision matches float32 PyTorch, imagenet adds geometry, overrides. */
import { describe, expect, it } from 'vitest';
import { applyPreprocess, customPreprocess, getPreprocess, preprocessNames, registerPreprocess } from './preprocess.js';

describe('preprocessing presets', () => {
  const pixels = new Uint8Array([0, 255, 128, 1, /* G */ 0, 255, 128, 1, /* B */ 0, 255, 128, 1]);

  it('raw255 keeps byte values as floats', () => {
    expect([...applyPreprocess(getPreprocess('raw255'), pixels, 3, 4)]).toEqual([...pixels]);
  });

  it('cifar-torchvision computes (u8/255 − mean[c])/std[c] in float32, per channel plane', () => {
    const out = applyPreprocess(getPreprocess('cifar-torchvision'), pixels, 3, 4);
    const f = Math.fround;
    const want = (v: number, m: number, s: number) => f(f(f(v / 255) - f(m)) / f(s));
    expect(out[0]).toBe(want(0, 0.485, 0.229));
    expect(out[1]).toBe(want(255, 0.485, 0.229));
    expect(out[6]).toBe(want(128, 0.456, 0.224));
    expect(out[11]).toBe(want(1, 0.406, 0.225));
    expect(out[0]).toBeCloseTo(-2.1179039, 6); // torchvision: (0 − 0.485)/0.229
    expect(out[1]).toBeCloseTo(2.2489083, 6);
  });

  it('reuses an output buffer and works on several images', () => {
    const buf = new Float32Array(100);
    const two = new Uint8Array([...pixels, ...pixels]);
    const out = applyPreprocess(getPreprocess('cifar-torchvision'), two, 3, 4, buf);
    expect(out.buffer).toBe(buf.buffer);
    expect(out.length).toBe(24);
    expect([...out.subarray(12)]).toEqual([...out.subarray(0, 12)]);
  });

  it('lets later presets register beside the built-in ones', () => {
    registerPreprocess({ name: 'test-half', description: 'u8/2', scale: 0.5, mean: [0], std: [1] });
    expect(preprocessNames()).toContain('test-half');
    expect([...applyPreprocess(getPreprocess('test-half'), new Uint8Array([4, 5]), 1, 2)]).toEqual([2, 2.5]);
  });

  it('BAD CALL: unknown names, ragged pixels, wrong channel count', () => {
    expect(() => getPreprocess('nope')).toThrow(RangeError);
    expect(() => applyPreprocess(getPreprocess('raw255'), new Uint8Array(5), 3, 4)).toThrow(RangeError);
    expect(() => applyPreprocess(getPreprocess('cifar-torchvision'), new Uint8Array(8), 2, 4)).toThrow(/3 mean values but the images have 2 channels/);
  });

  it('imagenet is cifar-torchvision\'s normalisation plus resize 256 and centre crop 224', () => {
    const imagenet = getPreprocess('imagenet');
    expect([imagenet.resize, imagenet.crop]).toEqual([256, 224]);
    expect([...applyPreprocess(imagenet, pixels, 3, 4)]).toEqual([...applyPreprocess(getPreprocess('cifar-torchvision'), pixels, 3, 4)]);
  });

  it('--mean/--std/--size/--crop overrides are named in the description', () => {
    const custom = customPreprocess(getPreprocess('imagenet'), { mean: [0.5], std: [0.25], resize: 40, crop: 32 });
    expect(custom.name).toBe('imagenet+custom');
    expect(custom.description).toMatch(/; overridden: mean \[0\.5\], std \[0\.25\], size 40, crop 32$/);
    expect([custom.resize, custom.crop]).toEqual([40, 32]);
    expect([...applyPreprocess(custom, new Uint8Array([0, 255]), 1, 2)]).toEqual([Math.fround(-0.5 / 0.25), Math.fround(Math.fround(Math.fround(1) - 0.5) / 0.25)]);
    expect(customPreprocess(getPreprocess('raw255'), {})).toBe(getPreprocess('raw255'));
    expect(() => customPreprocess(getPreprocess('raw255'), { std: [0] })).toThrow('--std must be finite positive numbers, got [0].');
    expect(() => customPreprocess(getPreprocess('raw255'), { crop: 1.5 })).toThrow('--crop must be a positive integer, got 1.5.');
  });
});
