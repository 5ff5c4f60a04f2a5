/**
 * The MAT files of shared/cases/readers/mat (from scipy's own test data): a wrong zlib checksum is a
 * ChecksumError naming the variable, a MATLAB `string` object is an UnsupportedError naming its class,
 * and a struct with repeated field names is read with scipy's renames (`_1_x`, `_2_x`, …).
 */
import { readFileSync } from 'node:fs';
import { ChecksumError, UnsupportedError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { describeValue } from './describe.js';
import { encode, matFile, matrix } from './mat-builder.fixture.js';
import { miDOUBLE, miUINT32, miUTF8 } from './mat-codes.js';
import { readMat } from './read-mat.js';

const read = (name: string) => () => readMat(new Uint8Array(readFileSync(sharedPath(`cases/readers/mat/${name}`))));

describe('shared/cases/readers/mat', () => {
  it('EXPECTED FAILURE: a compressed variable whose Adler-32 is wrong is a ChecksumError naming it', () => {
    expect(read('corrupted_zlib_checksum.mat')).toThrow(ChecksumError);
    expect(read('corrupted_zlib_checksum.mat')).toThrow(/compressed variable "\w+" at byte 128: zlib Adler-32 checksum mismatch: expected 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\./);
  });

  it('EXPECTED FAILURE: a MATLAB string object is an UnsupportedError naming the class', () => {
    expect(read('testmatlabstring_7_WIN64.mat')).toThrow(UnsupportedError);
    expect(read('testmatlabstring_7_WIN64.mat')).toThrow('MAT (compressed variable at byte 128; offsets are within its inflated data): "matstring1" at byte 0 is a MATLAB MCOS object of class "string" (mxOPAQUE_CLASS), which onebit does not read; save it as a numeric or char array.');
  });

  it('reads a struct with repeated field names, renaming them as scipy does, and says so', () => {
    const file = read('nasty_duplicate_fieldnames.mat')();
    const [name, value] = [...file.variables][0]!;
    expect(value.kind).toBe('struct');
    if (value.kind !== 'struct') return;
    // scipy 1.10 loadmat: ... 'Station_Q', '_1_Station_Q', '_2_Station_Q', '_3_Station_Q', 'Track_Reference', 'Units'
    expect(value.fieldNames).toEqual(['Top_Q', 'Middle_Q', 'Bottom_Q', 'Left_Q', 'Right_Q', 'Total_Q', 'Depth', 'Cells', 'Track', 'Mean_Vel', 'Boat_Vel', 'Station_Q', '_1_Station_Q', '_2_Station_Q', '_3_Station_Q', 'Track_Reference', 'Units']);
    expect(value.renamedFields).toEqual([1, 2, 3].map((n) => ({ from: 'Station_Q', to: `_${n}_Station_Q` })));
    // scipy reads the char arrays stored with dimensions [1, 1] but no character data as ' '.
    const units = value.elements[0]!.get('Units');
    expect(units?.kind === 'struct' && units.elements[0]!.get('Cells')).toEqual({ kind: 'char', dims: [1, 1], text: ' ' });
    expect(describeValue(name, value)[0]).toContain('(repeated field names renamed as scipy does: Station_Q → _1_Station_Q, Station_Q → _2_Station_Q, Station_Q → _3_Station_Q)');
  });
});

describe('layouts scipy accepts', () => {
  it('reads dimensions stored as miUINT32 and a name stored as miUTF8', () => {
    const part = (values: number[]) => {
      const data = encode(miDOUBLE, values);
      const tag = new Uint8Array(8);
      new DataView(tag.buffer).setUint32(0, miDOUBLE, true);
      new DataView(tag.buffer).setUint32(4, data.length, true);
      return Uint8Array.from([...tag, ...data]);
    };
    const file = readMat(matFile(true, matrix({ classCode: 6, dims: [1, 3], dimsType: miUINT32, name: 'größe', nameType: miUTF8, smallName: false, parts: [part([1, 2, 3])] })));
    expect(file.variables.get('größe')).toEqual({ kind: 'numeric', className: 'double', logical: false, dims: [1, 3], data: Float64Array.of(1, 2, 3) });
  });
});
