/** Tests of the Wilson 95 % interval against values worked out by hand (and by statsmodels' proportion_confint). */
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson.js';

describe('wilsonInterval', () => {
  it('matches known intervals', () => {
    // 38 errors in 1000 (the MATLAB WRN on test images 0–999): p = 0.038.
    const [lo, hi] = wilsonInterval(38, 1000);
    expect(lo).toBeCloseTo(0.027809, 5);
    expect(hi).toBeCloseTo(0.051727, 5);
    // 5 of 10: centre 0.5, half-width z/(1+z²/n)·sqrt(0.025 + z²/400).
    const [a, b] = wilsonInterval(5, 10);
    expect(a).toBeCloseTo(0.236593, 5);
    expect(b).toBeCloseTo(0.763407, 5);
  });

  it('stays inside [0, 1] at the extremes', () => {
    const [lo0, hi0] = wilsonInterval(0, 1000);
    expect(lo0).toBe(0);
    expect(hi0).toBeCloseTo(0.0038267, 6); // z²/(n+z²)
    const [lo1, hi1] = wilsonInterval(1000, 1000);
    expect(hi1).toBe(1);
    expect(lo1).toBeCloseTo(1 - 0.0038267, 6);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });

  it('BAD CALL: more successes than trials', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
  });
});
