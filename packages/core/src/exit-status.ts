/**
 * How a command-line program of onebit ends on an error (the CLI and the example service share it):
 * a UsageError is the caller's mistake (exit 2); onebit's typed data errors (OnebitError) are bad
 * input (exit 1, their one sentence); V8's own resource RangeErrors are input too big for the
 * process (exit 1); anything else is a bug in onebit (exit 1, a sentence asking for a report; the
 * stack only when the program is asked for details).
 */
import { OnebitError, UsageError } from './errors.js';

/** What kind of failure an error is, and the exit status it gives. */
export type FailureKind = 'usage' | 'data' | 'resources' | 'bug';

export interface Failure {
  readonly kind: FailureKind;
  /** 2 for 'usage', 1 otherwise. */
  readonly exitCode: 1 | 2;
  /** One sentence for stderr (without the program's prefix); the hint for 'resources' is the caller's to add. */
  readonly message: string;
}

/** The messages of RangeErrors V8 itself throws when memory or stack run out (not argument checks). */
const ENGINE_RANGE_ERROR = /^(Array buffer allocation failed|Invalid (typed )?array length|Invalid string length|Maximum call stack size exceeded)/;

/** The sentence a bug ends with: what happened, and how to report it. */
export function bugSentence(e: unknown, detailsFlag = '--verbose'): string {
  const what = e instanceof Error ? `${e.name}: ${e.message.replace(/\.$/, '')}` : String(e);
  return `${what}. This is a bug in onebit, please report it (run with ${detailsFlag} for the stack trace).`;
}

/**
 * Classifies `e` for a program's exit. `detailsFlag` is the flag that prints the stack (named in a bug's sentence).
 */
export function classifyFailure(e: unknown, detailsFlag = '--verbose'): Failure {
  if (e instanceof UsageError) return { kind: 'usage', exitCode: 2, message: e.message };
  if (e instanceof OnebitError) return { kind: 'data', exitCode: 1, message: e.message };
  if (e instanceof RangeError && ENGINE_RANGE_ERROR.test(e.message)) {
    return { kind: 'resources', exitCode: 1, message: `${e.message}: the input needs more memory or stack than this process has.` };
  }
  return { kind: 'bug', exitCode: 1, message: bugSentence(e, detailsFlag) };
}
