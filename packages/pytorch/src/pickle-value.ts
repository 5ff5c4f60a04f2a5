/**
 * The plain JavaScript values an unpickled checkpoint becomes: None → null, bool → boolean,
 * int → number (bigint beyond 2^53), float → number, str → string, bytes → Uint8Array,
 * list and tuple → array, dict and OrderedDict → Map, set → Set, torch tensor → @onebit/core
 * Tensor, numpy scalar → number/bigint/boolean, numpy array → Tensor, an allow-listed class that was
 * referenced but never called → PickleGlobal, and an instance of a class outside the allow-list
 * (argparse.Namespace, Lightning's AttributeDict, an optimizer, an nn.Module) → OpaqueObject, an
 * inert record of its class name and state that is never called.
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

/**
 * A global outside the allow-list, as the unpickler first meets it. It may only become the class of
 * an OpaqueObject (NEWOBJ, which in Python runs `cls.__new__` and no `__init__`); any call of it, or
 * keeping it as a bare value, is refused with `refusal()` naming it and the byte it was named at.
 */
export class OpaqueGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
    /** Byte offset of the GLOBAL/STACK_GLOBAL/INST opcode that named it. */
    readonly offset: number,
    /** The pickle's format label, for the message. */
    readonly format: string,
  ) {}

  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }

  /** The SecurityError message for any use other than NEWOBJ. */
  refusal(): string {
    const q = this.qualifiedName;
    const shown = q.length > 120 ? `${q.slice(0, 120)}…` : q;
    return `${this.format}: global '${shown}' at byte ${this.offset} is not on the allow-list; onebit never executes code from a checkpoint.`;
  }
}

/**
 * An instance of a class outside the allow-list, kept as inert data so the rest of the file still
 * loads: nothing of it is ever called; its NEWOBJ arguments, BUILD state and dict/list items are
 * stored as they are. Using it where a tensor is needed is an error.
 */
export class OpaqueObject {
  /** BUILD state (normally the instance `__dict__`), or undefined when there was no BUILD. */
  state: unknown = undefined;
  /** SETITEM(S) items of a dict subclass (AttributeDict, defaultdict subclasses, ...). */
  readonly dictItems = new Map<unknown, unknown>();
  /** APPEND(S) items of a list subclass. */
  readonly listItems: unknown[] = [];

  constructor(
    /** `module.name` of its class. */
    readonly className: string,
    /** The NEWOBJ arguments. */
    readonly args: unknown[],
  ) {}

  /** True when its state looks like a torch.nn.Module's `__dict__` (`_parameters` and `_modules`). */
  get isTorchModule(): boolean {
    return this.state instanceof Map && this.state.has('_parameters') && this.state.has('_modules');
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
  | OpaqueObject
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
  if (value instanceof OpaqueGlobal) return `the global '${value.qualifiedName}'`;
  if (value instanceof OpaqueObject) return `an instance of '${value.className}' (a class outside the allow-list, kept as an inert placeholder)`;
  if (isTensor(value)) return `a ${value.dtype} tensor`;
  return `a ${(value as object).constructor?.name ?? 'object'}`;
}
