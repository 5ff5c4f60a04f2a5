/**
 * The invariant every reader must keep on every input, stated as data: it returns a value
 * ("accepted") or throws one of onebit's typed errors ("typed"); anything else — a TypeError or
 * RangeError from inside a parser, a rejection of another kind, a case slower than the time bound,
 * or one that allocates more than its memory bound — is a failure the fuzzer reports.
 */
import { OnebitError } from '@onebit/core';

/** Per-case time bound, generous for a shared 2-core machine. */
export const CASE_TIME_LIMIT_MS = 2000;
/** Memory every case may use regardless of input size. */
export const BASE_MEMORY_ALLOWANCE = 64 * 1024 * 1024;
/** Default bytes a case may allocate per input byte, on top of the base allowance. */
export const DEFAULT_MEMORY_FACTOR = 16;

export type OutcomeKind = 'accepted' | 'typed' | 'crash' | 'timeout' | 'memory';

export interface Outcome {
  readonly kind: OutcomeKind;
  /** The error's class name for 'typed' and 'crash'. */
  readonly errorClass?: string;
  readonly message?: string;
  readonly ms: number;
  /** Growth of ArrayBuffer plus JS heap memory during the case, in bytes (garbage not yet collected included). */
  readonly allocated: number;
}

/** The memory a case reading `inputBytes` bytes may allocate. */
export function memoryBound(inputBytes: number, factor = DEFAULT_MEMORY_FACTOR): number {
  return BASE_MEMORY_ALLOWANCE + factor * inputBytes;
}

/** 'typed' for a onebit error, else 'crash'. */
export function classifyError(error: unknown): { kind: 'typed' | 'crash'; errorClass: string; message: string } {
  const errorClass = error instanceof Error ? error.constructor.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  return { kind: error instanceof OnebitError ? 'typed' : 'crash', errorClass, message };
}
