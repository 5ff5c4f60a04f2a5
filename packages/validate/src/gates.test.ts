/** Tests of the gate parsers and evaluateGates' checks and one-line messages. */
import { describe, expect, it } from 'vitest';
import { evaluateGates, parseErrorBound, parseFraction, parsePercentagePoints } from './gates.js';
import type { RuntimePairParity } from './cross-runtime.js';

const pair = (agreement: number, maxAbsLogitDiff: number, relLogitDiff: number, withinTolerance: boolean): RuntimePairParity =>
  ({ a: 'node', b: 'wasm', agreement, disagreements: [], maxAbsLogitDiff, maxAbsLogit: maxAbsLogitDiff / relLogitDiff, relLogitDiff, withinTolerance });

describe('gate parsers', () => {
  it('reads bounds, points and fractions', () => {
    expect(parseErrorBound('<=0.039')).toEqual({ op: '<=', limit: 0.039 });
    expect(parseErrorBound('<0.05')).toEqual({ op: '<', limit: 0.05 });
    expect(parseErrorBound('0.039')).toEqual({ op: '<=', limit: 0.039 });
    expect(parseErrorBound('<=3.9%').limit).toBeCloseTo(0.039, 12);
    expect(parsePercentagePoints('0.5pp')).toBe(0.5);
    expect(parsePercentagePoints('2')).toBe(2);
    expect(parseFraction('1.0', '--min-agreement')).toBe(1);
    expect(parseFraction('99.5%', '--min-agreement')).toBeCloseTo(0.995, 12);
  });

  it('BAD CALL: malformed values name the flag and the value', () => {
    expect(() => parseErrorBound('>=0.1')).toThrow("--expect-top1-error must look like '<=0.039' or '<=3.9%' (a fraction 0..1), got '>=0.1'.");
    expect(() => parseErrorBound('<=1.5')).toThrow(RangeError);
    expect(() => parsePercentagePoints('half')).toThrow("--max-drop-vs needs a drop in percentage points like '0.5pp', got 'half'.");
    expect(() => parseFraction('1.2', '--min-agreement')).toThrow("--min-agreement must be a fraction between 0 and 1 (or a percentage), got '1.2'.");
  });
});

describe('evaluateGates', () => {
  const report = { n: 1000, top1Error: 0.042, agreement: 0.998 };

  it('EXPECTED FAILURE: each failing gate names itself, the measured value and the limit', () => {
    const checks = evaluateGates(report, {
      expectTop1Error: { op: '<=', limit: 0.039 },
      maxDropVs: { name: 'baseline.json', referenceTop1Error: 0.035, maxDropPp: 0.5 },
      minAgreement: 1,
    });
    expect(checks.map((c) => [c.name, c.passed])).toEqual([['--expect-top1-error', false], ['--max-drop-vs', false], ['--min-agreement (reference)', false]]);
    expect(checks[0]!.message).toBe('FAIL --expect-top1-error: top-1 error 4.20 % (42/1000) is not <= the limit 3.90 % (over by 0.30 pp)');
    expect(checks[1]!.message).toBe('FAIL --max-drop-vs: top-1 error 4.20 % vs 3.50 % in baseline.json: a drop of 0.70 pp exceeds the limit 0.5 pp');
    expect(checks[1]!.measured).toBeCloseTo(0.7, 12);
    expect(checks[2]!.message).toBe('FAIL --min-agreement: top-1 agreement with the reference 99.80 % (998/1000) is below the limit 100.00 %');
  });

  it('passes gates that hold, including a drop exactly at the limit', () => {
    const checks = evaluateGates(report, {
      expectTop1Error: { op: '<', limit: 0.05 },
      maxDropVs: { name: 'b.json', referenceTop1Error: 0.037, maxDropPp: 0.5 },
      minAgreement: 0.99,
    });
    expect(checks.every((c) => c.passed)).toBe(true);
    expect(checks[0]!.message).toBe('PASS --expect-top1-error: top-1 error 4.20 % (42/1000) is < 5.00 %');
    expect(checks[1]!.message).toBe('PASS --max-drop-vs: top-1 error 4.20 % vs 3.70 % in b.json: a drop of 0.50 pp, within the limit 0.5 pp');
  });

  it('checks every runtime pair: the agreement gate and the named tolerances', () => {
    const checks = evaluateGates({ n: 10, top1Error: 0, crossRuntime: [pair(1, 6.1e-5, 3.05e-7, true), { ...pair(0.9, 2, 0.01, false), b: 'browser' }] }, { minAgreement: 1 });
    expect(checks.map((c) => [c.name, c.passed])).toEqual([
      ['--min-agreement (node vs wasm)', true], ['--min-agreement (node vs browser)', false],
      ['runtime parity node vs wasm', true], ['runtime parity node vs browser', false],
    ]);
    expect(checks[3]!.message).toBe('FAIL runtime parity node vs browser: top-1 agreement 90.00 %, max |Δlogit| 2.00e+0 = 1.00e-2 of the largest logit (limits: 100 % and 1e-5)');
  });

  it('EXPECTED FAILURE: --min-agreement with nothing to compare', () => {
    const [c] = evaluateGates({ n: 5, top1Error: 0 }, { minAgreement: 1 });
    expect(c!.passed).toBe(false);
    expect(c!.message).toBe('FAIL --min-agreement: nothing to compare; give --reference logits or --runtime all (limit 100.00 %)');
  });
});
