/** Tests of the layer policy: defaults, keep-first/last, keep and binarize globs, conflicts, typos. */
import { describe, expect, it } from 'vitest';
import { ModelError } from '@onebit/core';
import { decideLayers } from './policy.js';

const NAMES = ['conv1.weight', 'layer1.0.conv1.weight', 'layer1.0.conv2.weight', 'layer2.0.conv1.weight', 'linear.weight'];
const actions = (d: ReturnType<typeof decideLayers>) => d.map((x) => `${x.action}:${x.rule}`);

describe('decideLayers', () => {
  it('binarizes everything by default', () => {
    expect(actions(decideLayers(NAMES))).toEqual(Array(5).fill('binarize:default'));
  });
  it('keeps the first and last weight in node order', () => {
    expect(actions(decideLayers(NAMES, { keepFirst: true, keepLast: true }))).toEqual([
      'keep:--keep-first', 'binarize:default', 'binarize:default', 'binarize:default', 'keep:--keep-last',
    ]);
  });
  it('keeps what --keep globs match', () => {
    expect(actions(decideLayers(NAMES, { keep: ['layer1*', 'linear.*'] }))).toEqual([
      'binarize:default', "keep:--keep 'layer1*'", "keep:--keep 'layer1*'", 'binarize:default', "keep:--keep 'linear.*'",
    ]);
  });
  it('binarizes only what --binarize globs select', () => {
    expect(actions(decideLayers(NAMES, { binarize: ['layer*'] }))).toEqual([
      'keep:not selected by --binarize', "binarize:--binarize 'layer*'", "binarize:--binarize 'layer*'", "binarize:--binarize 'layer*'", 'keep:not selected by --binarize',
    ]);
  });
  it('allows two keep rules on one weight (they agree)', () => {
    expect(decideLayers(NAMES, { keepFirst: true, keep: ['conv1.*'] })[0]).toEqual({ name: 'conv1.weight', action: 'keep', rule: '--keep-first' });
  });
  it('refuses a weight matched by a keep rule and a binarize rule, naming both', () => {
    expect(() => decideLayers(NAMES, { keepFirst: true, binarize: ['*conv1.weight'] })).toThrow(
      new ModelError("Weight 'conv1.weight' is matched by both --keep-first and --binarize '*conv1.weight'; remove one of the two rules.", 'conv1.weight'),
    );
    expect(() => decideLayers(NAMES, { keep: ['layer1.0.*'], binarize: ['*conv2*'] })).toThrow(
      "Weight 'layer1.0.conv2.weight' is matched by both --keep 'layer1.0.*' and --binarize '*conv2*'; remove one of the two rules.",
    );
    expect(() => decideLayers(NAMES, { keepLast: true, binarize: ['linear.weight'] })).toThrow('--keep-last and --binarize');
  });
  it('refuses a glob that matches nothing', () => {
    expect(() => decideLayers(NAMES, { keep: ['fc.*'] })).toThrow(
      "Rule --keep 'fc.*' matches none of the 5 binarizable weights (conv1.weight, layer1.0.conv1.weight, layer1.0.conv2.weight, layer2.0.conv1.weight, linear.weight).",
    );
  });
  it('keeps the only weight of a one-layer model under --keep-first or --keep-last', () => {
    expect(actions(decideLayers(['w'], { keepLast: true }))).toEqual(['keep:--keep-last']);
  });
});
