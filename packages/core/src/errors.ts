/**
 * onebit's typed errors. Every message is one sentence that names the bad value and where it is
 * (a byte offset or a tensor name); the structured fields carry the same facts for programs.
 * Caller mistakes an end user can make (option values) are UsageError; internal argument checks
 * use the built-in TypeError/RangeError, which reaching a user means a bug in onebit (exit-status.ts).
 */

/**
 * A mistake in how onebit was called, not in the data: an unknown flag or command, a missing or
 * invalid option, an output extension that does not match the format written. The CLI exits 2.
 * It is a RangeError (the call's value is outside what is allowed), so code catching RangeError for
 * bad arguments still catches it; unlike a bare RangeError it says the caller, not onebit, is at fault.
 */
export class UsageError extends RangeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** Base class of every data problem onebit reports. */
export class OnebitError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The bytes are of the expected format but corrupt or inconsistent at `offset`. */
export class FormatError extends OnebitError {
  constructor(
    readonly format: string,
    message: string,
    readonly offset?: number,
    options?: { cause?: unknown },
  ) {
    super(`${format}: ${message}`, options);
  }
}

/** The input ended `needed - available` bytes too early. */
export class TruncatedError extends FormatError {
  constructor(
    format: string,
    what: string,
    offset: number,
    readonly needed: number,
    readonly available: number,
  ) {
    super(
      format,
      `${what} at byte ${offset} needs ${needed} bytes but only ${Math.max(0, available)} remain (file truncated?).`,
      offset,
    );
  }
}

/** A checksum stored in the file does not match the one computed over its bytes. */
export class ChecksumError extends FormatError {
  constructor(format: string, what: string, readonly expected: string, readonly actual: string, offset?: number) {
    super(format, `${what} checksum mismatch: expected ${expected}, computed ${actual}.`, offset);
  }
}

/** Valid input that uses a feature onebit does not implement (named in the message). */
export class UnsupportedError extends OnebitError {}

/** The file is not a model at all: empty, a Git LFS pointer, an HTML page, or an unknown format. */
export class WrongFileError extends OnebitError {}

/** The input asks for more than a safety limit allows (huge allocations, deep nesting, zip bombs). */
export class LimitError extends OnebitError {}

/** The input tries to do something unsafe: a forbidden pickle global, a path escaping its folder. */
export class SecurityError extends OnebitError {}

/**
 * Two inputs that must describe the same thing do not: validation reports of different models, data
 * or preprocessing given to `report merge` or `--max-drop-vs`, or shards that overlap.
 */
export class MismatchError extends OnebitError {}

/** The model is well-formed but cannot be used as asked (a missing tensor, a shape mismatch). */
export class ModelError extends OnebitError {
  constructor(message: string, readonly tensorName?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
