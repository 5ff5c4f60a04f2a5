/** Which preprocessing a model uses: the shared registry's presets by name, explicit parameters, and an unknown name refused. */
import { getPreprocess } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import { preprocessPreset } from './preprocess.js';

describe('preprocessPreset', () => {
  it('names resolve to @onebit/core\'s registry, the one validation uses', () => {
    for (const name of ['raw255', 'unit', 'cifar-wrn', 'cifar-torchvision', 'imagenet']) expect(preprocessPreset(name)).toBe(getPreprocess(name));
    expect([preprocessPreset('imagenet').resize, preprocessPreset('imagenet').crop]).toEqual([256, 224]);
  });

  it('explicit parameters become a preset with a description', () => {
    const p = preprocessPreset({ name: 'half', scale: 0.5, mean: [0], std: [1] });
    expect(p).toEqual({ name: 'half', scale: 0.5, mean: [0], std: [1], description: '(u8 · 0.5 − [0]) / [1]' });
  });

  it('BAD CALL: an unknown preset name is a RangeError listing the known ones', () => {
    expect(() => preprocessPreset('nope')).toThrow(/^Unknown preprocessing "nope"; known: unit, raw255, cifar-torchvision, cifar-wrn, imagenet/);
  });
});
