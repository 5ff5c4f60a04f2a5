/**
 * The MAT files of test-fixtures/mat-layouts, written by scipy.io.savemat in the layouts it produces
 * (v5 with and without compression, vectors as rows and as columns, scalars, empties, every integer
 * class, logical, char incl. non-ASCII and multi-row, cells, structs, struct arrays, nested structs,
 * complex), read by onebit and compared exactly with scipy.io.loadmat's reading of the same files,
 * which make.py stored in expected.json; sparse and v4 files are refused with the typed error listed.
 */
import { readFileSync } from 'node:fs';
import { FormatError, OnebitError, UnsupportedError } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import type { MatValue } from './mat-types.js';
import { readMat } from './read-mat.js';

type Expected = { variables: Record<string, unknown> } | { error: string };
const root = new URL('../../../test-fixtures/mat-layouts/', import.meta.url);
const table = JSON.parse(readFileSync(new URL('expected.json', root), 'utf8')) as { scipy: string; files: Record<string, Expected> };
const read = (name: string) => readMat(new Uint8Array(readFileSync(new URL(name, root))));

/** A float as make.py writes it: exact, with NaN, ±Infinity and -0 as strings. */
function number(x: number): number | string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  return Object.is(x, -0) ? '-0' : x;
}

/** onebit's value in expected.json's terms. */
function plain(value: MatValue): unknown {
  switch (value.kind) {
    case 'numeric': {
      const values = (data: ArrayLike<number | bigint>) => Array.from(data, (v) => (typeof v === 'bigint' ? String(v) : number(v)));
      return { kind: 'numeric', className: value.className, logical: value.logical, dims: value.dims, data: values(value.data), ...(value.imag ? { imag: values(value.imag) } : {}) };
    }
    case 'char': return { kind: 'char', dims: value.dims, text: value.text };
    case 'cell': return { kind: 'cell', dims: value.dims, cells: value.cells.map(plain) };
    case 'struct': return {
      kind: 'struct', dims: value.dims, fieldNames: value.fieldNames,
      elements: value.elements.map((e) => Object.fromEntries([...e].map(([k, v]) => [k, plain(v)]))),
    };
  }
}

describe(`MAT layouts written by scipy ${table.scipy} (test-fixtures/mat-layouts)`, () => {
  it('has every file make.py writes', () => {
    expect(Object.keys(table.files).sort()).toEqual(['sparse-compressed.mat', 'sparse.mat', 'v4.mat', 'values-columns.mat', 'values-compressed.mat', 'values.mat']);
  });
  for (const [name, expected] of Object.entries(table.files)) {
    if ('variables' in expected) {
      it(`${name}: every variable as scipy reads it`, () => {
        const file = read(name);
        expect([...file.variables.keys()]).toEqual(Object.keys(expected.variables));
        for (const [key, value] of file.variables) expect(plain(value), key).toEqual(expected.variables[key]);
      });
    }
  }
  it('refuses sparse arrays naming the variable, and v4 files, with typed errors', () => {
    expect(() => read('sparse.mat')).toThrow(new UnsupportedError('MAT: "sp" at byte 216 is a sparse array (mxSPARSE_CLASS (5)), which onebit does not read.'));
    expect(() => read('sparse-compressed.mat')).toThrow(new UnsupportedError('MAT (compressed variable "sp" at byte 128; offsets are within its inflated data): "sp" at byte 0 is a sparse array (mxSPARSE_CLASS (5)), which onebit does not read.'));
    expect(() => read('v4.mat')).toThrow(new UnsupportedError("MAT: this is a MATLAB v4 file, which onebit does not read; re-save it in MATLAB with save(..., '-v7')."));
    for (const name of ['sparse.mat', 'sparse-compressed.mat', 'v4.mat']) {
      const error = (() => { try { read(name); } catch (e) { return e; } return undefined; })();
      expect(error, name).toBeInstanceOf(OnebitError);
      expect((error as Error).name, name).toBe((table.files[name] as { error: string }).error);
      expect(error, name).not.toBeInstanceOf(FormatError);
    }
  });
});
