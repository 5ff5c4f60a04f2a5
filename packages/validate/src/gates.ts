/**
 * CI gates over a validation report, as pure functions: `--expect-top1-error <=0.039`,
 * `--max-drop-vs <reference.json> 0.5pp` (top-1 error may rise at most that many percentage points
 * over a reference report's) and `--min-agreement 1.0` (top-1 agreement with the reference logits
 * and between runtimes). Each gate gives a check with the measured value, the limit and one line
 * saying why it failed; cross-runtime tolerances are checks too. The CLI only prints them.
 */
import { UsageError } from '@onebit/core';
import { RUNTIME_MAX_REL_LOGIT_DIFF, type RuntimePairParity } from './cross-runtime.js';

export interface Check {
  /** e.g. "--expect-top1-error" or "runtime parity node vs wasm". */
  name: string;
  passed: boolean;
  measured: number;
  limit: number;
  /** One line: "PASS …" or "FAIL …", naming the gate, the measured value and the limit. */
  message: string;
}

export interface GateSpec {
  /** Top-1 error bound, e.g. { op: '<=', limit: 0.039 }. */
  expectTop1Error?: { op: '<=' | '<'; limit: number };
  /** A reference report's top-1 error and the allowed rise in percentage points. */
  maxDropVs?: { name: string; referenceTop1Error: number; maxDropPp: number };
  /** Minimum top-1 agreement (0..1) with the reference logits and between runtimes. */
  minAgreement?: number;
}

/** What the gates read from a report. */
export interface GateInput {
  n: number;
  top1Error: number;
  agreement?: number;
  crossRuntime?: RuntimePairParity[];
}

const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;

/** Parses "<=0.039", "<0.039", "0.039" (means ≤) or "3.9%". */
export function parseErrorBound(text: string): { op: '<=' | '<'; limit: number } {
  const m = /^\s*(<=|<|≤)?\s*([0-9]*\.?[0-9]+)\s*(%?)\s*$/.exec(text);
  const limit = m ? Number(m[2]) / (m[3] ? 100 : 1) : NaN;
  if (!m || !(limit >= 0 && limit <= 1)) throw new UsageError(`--expect-top1-error must look like '<=0.039' or '<=3.9%' (a fraction 0..1), got '${text}'.`);
  return { op: m[1] === '<' ? '<' : '<=', limit };
}

/** Parses "0.5pp" or "0.5" (percentage points). */
export function parsePercentagePoints(text: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+)\s*(pp)?\s*$/.exec(text);
  if (!m) throw new UsageError(`--max-drop-vs needs a drop in percentage points like '0.5pp', got '${text}'.`);
  return Number(m[1]);
}

/** Parses a fraction 0..1 such as "1.0" or "99.5%". */
export function parseFraction(text: string, flag: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+)\s*(%?)\s*$/.exec(text);
  const v = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(v >= 0 && v <= 1)) throw new UsageError(`${flag} must be a fraction between 0 and 1 (or a percentage), got '${text}'.`);
  return v;
}

/** Evaluates the gates and the cross-runtime tolerances; one check each. */
export function evaluateGates(report: GateInput, spec: GateSpec): Check[] {
  const checks: Check[] = [];
  const errors = Math.round(report.top1Error * report.n);
  if (spec.expectTop1Error) {
    const { op, limit } = spec.expectTop1Error;
    const passed = op === '<' ? report.top1Error < limit : report.top1Error <= limit;
    const measured = `top-1 error ${pct(report.top1Error)} (${errors}/${report.n})`;
    checks.push({
      name: '--expect-top1-error', passed, measured: report.top1Error, limit,
      message: passed ? `PASS --expect-top1-error: ${measured} is ${op} ${pct(limit)}`
        : `FAIL --expect-top1-error: ${measured} is not ${op} the limit ${pct(limit)} (over by ${(100 * (report.top1Error - limit)).toFixed(2)} pp)`,
    });
  }
  if (spec.maxDropVs) {
    const { name, referenceTop1Error, maxDropPp } = spec.maxDropVs;
    const dropPp = 100 * (report.top1Error - referenceTop1Error);
    const passed = dropPp <= maxDropPp + 1e-9;
    const measured = `top-1 error ${pct(report.top1Error)} vs ${pct(referenceTop1Error)} in ${name}: ${dropPp >= 0 ? 'a drop' : 'a gain'} of ${Math.abs(dropPp).toFixed(2)} pp`;
    checks.push({
      name: '--max-drop-vs', passed, measured: dropPp, limit: maxDropPp,
      message: passed ? `PASS --max-drop-vs: ${measured}, within the limit ${maxDropPp} pp` : `FAIL --max-drop-vs: ${measured} exceeds the limit ${maxDropPp} pp`,
    });
  }
  if (spec.minAgreement !== undefined) {
    const limit = spec.minAgreement;
    if (report.agreement === undefined && !report.crossRuntime?.length) {
      checks.push({ name: '--min-agreement', passed: false, measured: NaN, limit, message: `FAIL --min-agreement: nothing to compare; give --reference logits or --runtime all (limit ${pct(limit)})` });
    }
    if (report.agreement !== undefined) {
      const passed = report.agreement >= limit;
      const agreeing = Math.round(report.agreement * report.n);
      checks.push({
        name: '--min-agreement (reference)', passed, measured: report.agreement, limit,
        message: `${passed ? 'PASS' : 'FAIL'} --min-agreement: top-1 agreement with the reference ${pct(report.agreement)} (${agreeing}/${report.n}) ${passed ? 'meets' : 'is below'} the limit ${pct(limit)}`,
      });
    }
    for (const p of report.crossRuntime ?? []) {
      const passed = p.agreement >= limit;
      checks.push({
        name: `--min-agreement (${p.a} vs ${p.b})`, passed, measured: p.agreement, limit,
        message: `${passed ? 'PASS' : 'FAIL'} --min-agreement: top-1 agreement ${p.a} vs ${p.b} ${pct(p.agreement)} ${passed ? 'meets' : 'is below'} the limit ${pct(limit)}`,
      });
    }
  }
  for (const p of report.crossRuntime ?? []) {
    checks.push({
      name: `runtime parity ${p.a} vs ${p.b}`, passed: p.withinTolerance, measured: p.relLogitDiff, limit: RUNTIME_MAX_REL_LOGIT_DIFF,
      message: `${p.withinTolerance ? 'PASS' : 'FAIL'} runtime parity ${p.a} vs ${p.b}: top-1 agreement ${pct(p.agreement)}, max |Δlogit| ${p.maxAbsLogitDiff.toExponential(2)} = ${p.relLogitDiff.toExponential(2)} of the largest logit (limits: 100 % and ${RUNTIME_MAX_REL_LOGIT_DIFF.toExponential(0)})`,
    });
  }
  return checks;
}
