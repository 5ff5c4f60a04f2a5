/**
 * The numeric codes of the MAT-file level-5 format, with the spec's own names: data types
 * (miINT8 … miUTF32) tag every data element, array classes (mxCELL_CLASS … mxOPAQUE_CLASS) sit in
 * the array-flags subelement of every miMATRIX. Spec: MathWorks, "MAT-File Format" (matfile_format.pdf).
 */

export const miINT8 = 1;
export const miUINT8 = 2;
export const miINT16 = 3;
export const miUINT16 = 4;
export const miINT32 = 5;
export const miUINT32 = 6;
export const miSINGLE = 7;
export const miDOUBLE = 9;
export const miINT64 = 12;
export const miUINT64 = 13;
export const miMATRIX = 14;
export const miCOMPRESSED = 15;
export const miUTF8 = 16;
export const miUTF16 = 17;
export const miUTF32 = 18;

const DATA_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'miINT8', 2: 'miUINT8', 3: 'miINT16', 4: 'miUINT16', 5: 'miINT32', 6: 'miUINT32', 7: 'miSINGLE',
  9: 'miDOUBLE', 12: 'miINT64', 13: 'miUINT64', 14: 'miMATRIX', 15: 'miCOMPRESSED', 16: 'miUTF8',
  17: 'miUTF16', 18: 'miUTF32',
};

/** `miDOUBLE (9)` for a known code, `unknown data type 42` otherwise. */
export function dataTypeName(code: number): string {
  const name = DATA_TYPE_NAMES[code];
  return name ? `${name} (${code})` : `unknown data type ${code}`;
}

export const mxCELL_CLASS = 1;
export const mxSTRUCT_CLASS = 2;
export const mxOBJECT_CLASS = 3;
export const mxCHAR_CLASS = 4;
export const mxSPARSE_CLASS = 5;
export const mxFUNCTION_CLASS = 16;
export const mxOPAQUE_CLASS = 17;

/** Numeric array classes 6–15 and the MATLAB class name each one has. */
export const NUMERIC_CLASS_NAMES = {
  6: 'double', 7: 'single', 8: 'int8', 9: 'uint8', 10: 'int16', 11: 'uint16', 12: 'int32',
  13: 'uint32', 14: 'int64', 15: 'uint64',
} as const;

const CLASS_NAMES: Readonly<Record<number, string>> = {
  1: 'mxCELL_CLASS', 2: 'mxSTRUCT_CLASS', 3: 'mxOBJECT_CLASS', 4: 'mxCHAR_CLASS', 5: 'mxSPARSE_CLASS',
  6: 'mxDOUBLE_CLASS', 7: 'mxSINGLE_CLASS', 8: 'mxINT8_CLASS', 9: 'mxUINT8_CLASS', 10: 'mxINT16_CLASS',
  11: 'mxUINT16_CLASS', 12: 'mxINT32_CLASS', 13: 'mxUINT32_CLASS', 14: 'mxINT64_CLASS', 15: 'mxUINT64_CLASS',
  16: 'mxFUNCTION_CLASS', 17: 'mxOPAQUE_CLASS',
};

/** `mxSPARSE_CLASS (5)` for a known code, `unknown array class 99` otherwise. */
export function classCodeName(code: number): string {
  const name = CLASS_NAMES[code];
  return name ? `${name} (${code})` : `unknown array class ${code}`;
}

/** Array-flags bits (in the first uint32 of the array-flags subelement, above the class byte). */
export const FLAG_COMPLEX = 0x0800;
export const FLAG_GLOBAL = 0x0400;
export const FLAG_LOGICAL = 0x0200;
