/**
 * The plain JavaScript values an unpickled checkpoint becomes: None → null, bool → boolean,
 * int → number (bigint beyond 2^53), float → number, str → string, bytes → Uint8Array,
 * list and tuple → array, dict and OrderedDict → Map, set → Set, torch tensor → @onebit/core
 * Tensor, and an allow-listed class that was referenced but never called → PickleGlobal.
 */
import { type Tensor } from '@onebit/core';

/** A reference to a Python global (module + name) that passed the allow-list. */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
    /** What REDUCE/NEWOBJ does with it; absent for globals that are only data (storage classes). */
    readonly call?: (args: readonly unknown[], offset: number) => unknown,
  ) {}

  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Tensor
  | PickleGlobal
  | PickleValue[]
  | Map<PickleValue, PickleValue>
  | Set<PickleValue>;

/** True for an @onebit/core tensor inside a PickleValue tree. */
export function isTensor(value: unknown): value is Tensor {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map) &&
    !(value instanceof Set) && !ArrayBuffer.isView(value) && 'dtype' in value && 'dims' in value && 'data' in value;
}

/** A short description of a value's kind, for error messages ("a dict", "the string 'x'"). */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return `the string '${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return `a ${value.length}-item list/tuple`;
  if (value instanceof Map) return `a ${value.size}-entry dict`;
  if (value instanceof Set) return 'a set';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (value instanceof PickleGlobal) return `the global '${value.qualifiedName}'`;
  if (isTensor(value)) return `a ${value.dtype} tensor`;
  return `a ${(value as object).constructor?.name ?? 'object'}`;
}
