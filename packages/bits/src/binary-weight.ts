/**
 * A binary weight as onebit carries it between packages: the shape, the flat-packed sign bits of
 * the tensor in C (row-major) order, and the scale kept apart from the bits — one number for the
 * whole tensor (the paper's fixed He scale) or one per output channel (dims[0]).
 */
export interface BinaryWeight {
  readonly dims: readonly number[];
  /** packSigns() of the C-order elements: ⌈n/8⌉ bytes, LSB first, bit 1 = +1. */
  readonly bits: Uint8Array;
  readonly scale: number | Float32Array;
}
