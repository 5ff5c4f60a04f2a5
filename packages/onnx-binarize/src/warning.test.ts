/** Tests of the not-trained-for-1-bit warning: threshold, BatchNorm evidence, messages. */
import { describe, expect, it } from 'vitest';
import { notTrainedWarning, NOT_TRAINED_DISTANCE } from './warning.js';

const FAR = [{ name: 'a', distance: 0.58 }, { name: 'b', distance: 0.61 }, { name: 'c', distance: 0.6 }];

describe('notTrainedWarning', () => {
  it('stays silent for weights near ±a and for nothing binarized', () => {
    expect(notTrainedWarning([{ name: 'a', distance: 0 }, { name: 'b', distance: 0.3 }])).toBeUndefined(); // mean 0.15
    expect(notTrainedWarning([])).toBeUndefined();
  });
  it('warns for float-trained weights, worst first, quoting the BatchNorm evidence', () => {
    const w = notTrainedWarning(FAR, { verdict: 'float-trained', correlation: 0.884, layers: 19 })!;
    expect(NOT_TRAINED_DISTANCE).toBe(0.2);
    expect(w.meanDistance).toBeCloseTo(0.5967, 4);
    expect(w.worst.map((x) => x.name)).toEqual(['b', 'c', 'a']);
    expect(w.message).toBe('The 3 binarized weights are far from ±a (mean relative distance 0.597 > 0.2; 0 means exactly binary, about 0.6 means ordinary float weights) and the BatchNorm statistics of 19 layers follow the float weights (correlation 0.88): this model was trained with float weights, not for 1-bit weights, and its accuracy will likely collapse.');
  });
  it('hedges when there is no BatchNorm evidence', () => {
    expect(notTrainedWarning(FAR)!.message).toMatch(/and no BatchNorm statistics tell how they were trained: unless these are the latent weights of a model trained for 1-bit weights, its accuracy will likely collapse\.$/);
  });
  it('stays silent for latent weights of a 1-bit-trained model', () => {
    expect(notTrainedWarning(FAR, { verdict: 'one-bit-trained', correlation: -0.67, layers: 3 })).toBeUndefined();
  });
});
