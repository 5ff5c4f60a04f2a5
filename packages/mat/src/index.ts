/** @onebit/mat: a reader for MATLAB MAT-file level 5 (save -v6/-v7), into plain typed-array values. */
export * from './mat-types.js';
export { isMatFile } from './header.js';
export { readMat, DEFAULT_MAX_INFLATED_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_TENSOR_BYTES } from './read-mat.js';
export { columnMajorToRowMajor, permuteToRowMajor } from './column-major.js';
export { describeMat, describeValue } from './describe.js';
export { findVariable, findNumeric } from './find-variable.js';
