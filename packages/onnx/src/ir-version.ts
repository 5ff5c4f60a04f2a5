/**
 * The IR version to write for a default-domain opset: the one of the ONNX release that introduced
 * the opset (https://onnx.ai/onnx/repo-docs/Versioning.html#released-versions), but at least 4.
 * From IR 4 on initializers need not be listed as graph inputs; below it they must be, and
 * onnxruntime then treats them as overridable inputs that it will not constant-fold.
 */

/** opset → IR version of the ONNX release that introduced it (1.2 … 1.16). */
const RELEASE_IR: Readonly<Record<number, number>> = {
  7: 3, 8: 3, 9: 4, 10: 5, 11: 6, 12: 7, 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10,
};

export const MIN_OPSET = 7;
export const MAX_OPSET = 21;

export function irVersionForOpset(opset: number): number {
  const ir = RELEASE_IR[opset];
  if (ir === undefined) throw new RangeError(`opset ${opset} is outside the ${MIN_OPSET}–${MAX_OPSET} range onebit writes.`);
  return Math.max(ir, 4);
}
