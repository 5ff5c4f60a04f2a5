/** Size limits shared by onebit's ONNX tensor readers (decodeModel and readModel). */

/** The largest tensor onebit will allocate from a file (elements), as a guard against corrupt dims. */
export const MAX_TENSOR_ELEMENTS = 2 ** 31;
