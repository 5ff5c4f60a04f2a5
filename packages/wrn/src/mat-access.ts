/**
 * Typed access to the variables of a MAT file for the network readers: each accessor either
 * returns the value in the shape asked for or throws a ModelError naming the variable.
 */
import { ModelError } from '@onebit/core';
import type { MatFile, MatNumeric, MatValue } from '@onebit/mat';

export function variable(file: MatFile, name: string): MatValue {
  const v = file.variables.get(name);
  if (!v) throw new ModelError(`The MAT file has no variable '${name}' (it has: ${[...file.variables.keys()].join(', ')}).`, name);
  return v;
}

export function numeric(v: MatValue, name: string): MatNumeric {
  if (v.kind !== 'numeric') throw new ModelError(`Variable '${name}' is a ${v.kind} array; expected a numeric array.`, name);
  return v;
}

export function cells(v: MatValue, name: string): MatValue[] {
  if (v.kind !== 'cell') throw new ModelError(`Variable '${name}' is a ${v.kind} array; expected a cell array.`, name);
  return v.cells;
}

/** Values of a real numeric array as float32 (column-major order kept). */
export function float32Of(v: MatValue, name: string): Float32Array {
  const n = numeric(v, name);
  if (n.className === 'single') return n.data;
  const out = new Float32Array(n.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(n.data[i]!);
  return out;
}

/** Values of a real numeric array as plain numbers (for small integer vectors like strides). */
export function numbersOf(v: MatValue, name: string): number[] {
  return Array.from(float32Of(v, name));
}

/** A 0/1 array (logical or uint8) as bytes, refusing any other value. */
export function bitsOf(v: MatValue, name: string): Uint8Array {
  const n = numeric(v, name);
  const out = n.className === 'uint8' ? n.data : Uint8Array.from(n.data as ArrayLike<number>, Number);
  for (let i = 0; i < out.length; i++) {
    if (out[i]! > 1) throw new ModelError(`Bit array '${name}' holds ${out[i]} at element ${i}; expected only 0 and 1.`, name);
  }
  return out;
}

/** Column `col` of a column-major 2-D array with `rows` rows. */
export function column(data: Float32Array, rows: number, col: number): Float32Array {
  return data.slice(col * rows, (col + 1) * rows);
}
