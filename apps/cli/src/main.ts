/**
 * The `onebit` command line: parses arguments with commander and hands the work to the
 * packages. How a failure ends (core's classifyFailure): usage mistakes (commander's parse errors,
 * UsageError) exit 2; onebit's typed data errors and V8's own resource RangeErrors (out of memory or
 * stack) print one line and exit 1; anything else (a bare RangeError or TypeError from an internal
 * check included) is a bug in onebit: exit 1 with one sentence asking for a report. The global
 * --verbose adds each error's stack trace and its chain of causes below the one sentence.
 */
import { Command, CommanderError } from 'commander';
import { classifyFailure } from '@onebit/core';
import { registerConvert } from './commands/convert.js';
import { registerDemo } from './commands/demo.js';
import { registerInspect } from './commands/inspect.js';
import { registerReport } from './commands/report.js';
import { registerValidate } from './commands/validate.js';
import { version } from './version.js';

const program = new Command();
program
  .name('onebit')
  .description('Convert networks trained for one bit per weight into bit-packed ONNX models and prove their accuracy on real data.')
  .version(version)
  .option('--verbose', "on an error, also print its stack trace and causes (default: the error's one sentence)")
  .showHelpAfterError('(run onebit --help or onebit <command> --help for usage)')
  .exitOverride();
registerConvert(program);
registerValidate(program);
registerInspect(program);
registerDemo(program);
registerReport(program);

/** With --verbose: the stack trace of `e` and of every `cause` it chains to, on stderr. */
function printDetails(e: unknown): void {
  if (!program.opts<{ verbose?: boolean }>().verbose) return;
  const seen = new Set<unknown>();
  for (let err: unknown = e, depth = 0; err !== undefined && !seen.has(err); err = err instanceof Error ? err.cause : undefined, depth++) {
    seen.add(err);
    const text = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
    console.error(depth === 0 ? text : `caused by: ${text}`);
  }
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version end with exit code 0; every other commander error (unknown flag or
    // command, missing argument or option, bad option value) is a usage error: exit 2.
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    const failure = classifyFailure(e, '--verbose');
    const message = failure.kind === 'resources' ? failure.message.replace(/\.$/, '; validate it in parts with --shard i/n or a smaller --batch-size.') : failure.message;
    console.error(`error: ${message}`);
    printDetails(e);
    process.exitCode = failure.exitCode;
  }
}
