/** Tests of the not-trained-for-1-bit warning threshold and its message. */
import { describe, expect, it } from 'vitest';
import { notTrainedWarning, NOT_TRAINED_DISTANCE } from './warning.js';

describe('notTrainedWarning', () => {
  it('stays silent for weights near ±a and for nothing binarized', () => {
    expect(notTrainedWarning([{ name: 'a', distance: 0 }, { name: 'b', distance: 0.3 }])).toBeUndefined(); // mean 0.15
    expect(notTrainedWarning([])).toBeUndefined();
  });
  it('warns above the threshold, worst weights first', () => {
    const w = notTrainedWarning([{ name: 'a', distance: 0.58 }, { name: 'b', distance: 0.61 }, { name: 'c', distance: 0.6 }])!;
    expect(NOT_TRAINED_DISTANCE).toBe(0.2);
    expect(w.meanDistance).toBeCloseTo(0.5967, 4);
    expect(w.worst.map((x) => x.name)).toEqual(['b', 'c', 'a']);
    expect(w.message).toBe('The 3 binarized weights are far from ±a (mean relative distance 0.597 > 0.2; 0 means exactly binary, about 0.6 means ordinary float weights): this model was probably not trained for 1-bit weights, and its accuracy will likely collapse.');
  });
});
