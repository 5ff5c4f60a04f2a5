/** Tests of the layer-policy name globs: whole-name matching, `*` across dots, `?`, literal specials. */
import { describe, expect, it } from 'vitest';
import { globToRegExp, matchesGlob } from './glob.js';

describe('matchesGlob', () => {
  it('matches whole names, with * spanning dots', () => {
    expect(matchesGlob('layer1.0.conv1.weight', 'layer1*')).toBe(true);
    expect(matchesGlob('layer1.0.conv1.weight', '*conv1.weight')).toBe(true);
    expect(matchesGlob('layer1.0.conv1.weight', 'layer1')).toBe(false);
    expect(matchesGlob('conv1.weight', '*.weight')).toBe(true);
    expect(matchesGlob('conv1.bias', '*.weight')).toBe(false);
  });
  it('treats ? as one character and regex characters literally', () => {
    expect(matchesGlob('layer2.1.conv2.weight', 'layer?.1.*')).toBe(true);
    expect(matchesGlob('layer12.1.conv2.weight', 'layer?.1.*')).toBe(false);
    expect(matchesGlob('conv1xweight', 'conv1.weight')).toBe(false);
    expect(matchesGlob('onnx::Conv_12(a)+', 'onnx::Conv_12(a)+')).toBe(true);
  });
  it('refuses an empty glob', () => {
    expect(() => globToRegExp('')).toThrow(new RangeError('A name glob must not be empty.'));
  });
});
