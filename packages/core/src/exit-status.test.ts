/**
 * classifyFailure: each kind of error gets its exit status and sentence — UsageError 2, typed data
 * errors 1 with their own sentence, V8's resource RangeErrors 1, and any other error (a bare
 * RangeError or TypeError from an internal check included) 1 as a bug to report.
 */
import { describe, expect, it } from 'vitest';
import { FormatError, UsageError } from './errors.js';
import { classifyFailure } from './exit-status.js';

describe('classifyFailure', () => {
  it('a UsageError is the caller\'s mistake: exit 2, its sentence (and it is still a RangeError)', () => {
    const e = new UsageError("--shard must be i/n with 1 ≤ i ≤ n, got '5/4'.");
    expect(e).toBeInstanceOf(RangeError);
    expect(classifyFailure(e)).toEqual({ kind: 'usage', exitCode: 2, message: "--shard must be i/n with 1 ≤ i ≤ n, got '5/4'." });
  });

  it('a typed data error: exit 1, its sentence', () => {
    expect(classifyFailure(new FormatError('ONNX', 'field 3 at byte 12 has wire type 7.', 12))).toEqual({ kind: 'data', exitCode: 1, message: 'ONNX: field 3 at byte 12 has wire type 7.' });
  });

  it("V8's own allocation failure: exit 1, says the input is too big for the process", () => {
    expect(classifyFailure(new RangeError('Array buffer allocation failed'))).toEqual({ kind: 'resources', exitCode: 1, message: 'Array buffer allocation failed: the input needs more memory or stack than this process has.' });
  });

  it('any other error, a bare RangeError included, is a bug: exit 1 and a request to report it', () => {
    expect(classifyFailure(new RangeError('rowLayout: dimension -1 in [2, -1] is not a non-negative integer.'))).toEqual({
      kind: 'bug', exitCode: 1,
      message: 'RangeError: rowLayout: dimension -1 in [2, -1] is not a non-negative integer. This is a bug in onebit, please report it (run with --verbose for the stack trace).',
    });
    expect(classifyFailure(new TypeError("Cannot read properties of undefined (reading 'x')")).message).toBe("TypeError: Cannot read properties of undefined (reading 'x'). This is a bug in onebit, please report it (run with --verbose for the stack trace).");
    expect(classifyFailure('thrown string', '--debug')).toEqual({ kind: 'bug', exitCode: 1, message: 'thrown string. This is a bug in onebit, please report it (run with --debug for the stack trace).' });
  });
});
