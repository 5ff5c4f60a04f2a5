/**
 * Looks up a variable by name, or a numeric variable by name, throwing a ModelError that lists the
 * variables the file does have when it is missing or of another kind.
 */
import { ModelError, formatDims } from '@onebit/core';
import type { MatFile, MatNumeric, MatValue } from './mat-types.js';

/** The variable `name`; throws ModelError naming the file's variables when there is none. */
export function findVariable(file: MatFile, name: string): MatValue {
  const value = file.variables.get(name);
  if (value) return value;
  const names = [...file.variables.keys()];
  throw new ModelError(`MAT variable "${name}" is not in the file, whose variables are ${names.length ? names.join(', ') : '(none)'}.`, name);
}

/** The numeric variable `name`; throws ModelError when it is missing or not numeric. */
export function findNumeric(file: MatFile, name: string): MatNumeric {
  const value = findVariable(file, name);
  if (value.kind === 'numeric') return value;
  throw new ModelError(`MAT variable "${name}" is a ${value.kind} array of shape ${formatDims(value.dims)}, not a numeric array.`, name);
}
