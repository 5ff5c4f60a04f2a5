/** Tests of findVariable / findNumeric and their ModelError messages. */
import { describe, expect, it } from 'vitest';
import { ModelError } from '@onebit/core';
import { findNumeric, findVariable } from './find-variable.js';
import type { MatFile, MatValue } from './mat-types.js';

const file: MatFile = {
  header: '', version: 0x0100, littleEndian: true,
  variables: new Map<string, MatValue>([
    ['a', { kind: 'numeric', className: 'double', logical: false, dims: [1, 1], data: Float64Array.of(1) }],
    ['t', { kind: 'char', dims: [1, 2], text: 'hi' }],
  ]),
};

describe('findVariable', () => {
  it('finds variables by name', () => {
    expect(findVariable(file, 't')).toEqual({ kind: 'char', dims: [1, 2], text: 'hi' });
    expect(findNumeric(file, 'a').data).toEqual(Float64Array.of(1));
  });

  it('EXPECTED FAILURE: a missing or non-numeric variable', () => {
    expect(() => findVariable(file, 'w')).toThrow(ModelError);
    expect(() => findVariable(file, 'w')).toThrow('MAT variable "w" is not in the file, whose variables are a, t.');
    expect(() => findNumeric(file, 't')).toThrow(ModelError);
    expect(() => findNumeric(file, 't')).toThrow('MAT variable "t" is a char array of shape 1×2, not a numeric array.');
  });
});
