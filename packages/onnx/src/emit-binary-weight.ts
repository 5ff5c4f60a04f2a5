/**
 * Emits a BinaryWeight into a graph as a float32 value of shape w.dims. 'packed' stores only the
 * sign bits (1 bit per weight, flat LSB-first, bit 1 = +1) plus a decode subgraph of standard ops
 * that onnxruntime constant-folds when the session is created; 'float' stores ±scale as float32.
 * The layout is documented, with a worked example, in ../PACKED.md.
 */
import { ModelError, tensor } from '@onebit/core';
import { type BinaryWeight, unpackSigns } from '@onebit/bits';
import type { GraphBuilder } from './graph-builder.js';
import { MAX_OPSET, MIN_OPSET } from './ir-version.js';

export type BinaryWeightMode = 'packed' | 'float';

/**
 * The shared 256×8 int8 table: row b holds the 8 bits of byte b, LSB first, as ±1. Stored as int8
 * (2 KiB rather than 8 KiB as float32) and cast to float after the Gather; all of it folds away.
 */
export const BIT_TABLE_NAME = 'onebit.bit_table';
export const FLAT_SHAPE_NAME = 'onebit.flat_shape';
/** TensorProto.DataType INT32, the `to` of the index Cast. */
const INT32 = 6;
/** TensorProto.DataType FLOAT, the `to` of the sign Cast. */
const FLOAT = 1;

/** The bit table's data: entry [b][j] = bit j of b ? +1 : −1. */
export function bitTable(): Int8Array {
  const t = new Int8Array(256 * 8);
  for (let b = 0; b < 256; b++) for (let j = 0; j < 8; j++) t[b * 8 + j] = (b >>> j) & 1 ? 1 : -1;
  return t;
}

/**
 * Adds weight `name` to `b` and returns the name of the float32 value of shape w.dims holding
 * sign × scale (always `name` itself). `opset` is the model's default-domain opset (7–21).
 */
export function addBinaryWeight(b: GraphBuilder, name: string, w: BinaryWeight, mode: BinaryWeightMode = 'packed', opset = 13): string {
  const dims = [...w.dims];
  const n = dims.reduce((a, d) => a * d, 1);
  checkBinaryWeight(name, w, opset);
  const scale = binaryWeightScale(name, w, dims);

  if (mode === 'float') return b.initializer(name, tensor('float32', dims, signsTimesScale(w.bits, n, scale.data)));
  if (mode !== 'packed') throw new RangeError(`binary weight mode "${String(mode)}" is not 'packed' or 'float'.`);

  if (!b.has(BIT_TABLE_NAME)) b.initializer(BIT_TABLE_NAME, tensor('int8', [256, 8], bitTable()));
  const bits = b.initializer(`${name}.bits`, tensor('uint8', [w.bits.length], w.bits.slice()));
  const indices = b.node('Cast', [bits], { to: INT32 }, { name: `${name}.cast`, outputs: [`${name}.bytes`] });
  // [bytes, 8] ±1 rows, in the same order as the bits: element k = row ⌊k/8⌋, column k mod 8.
  const rows = b.node('Gather', [BIT_TABLE_NAME, indices], { axis: 0 }, { name: `${name}.gather`, outputs: [`${name}.rows`] });
  let signs = b.node('Cast', [rows], { to: FLOAT }, { name: `${name}.float`, outputs: [`${name}.signs_float`] });
  if (n % 8 !== 0) {
    if (!b.has(FLAT_SHAPE_NAME)) b.initializer(FLAT_SHAPE_NAME, tensor('int64', [1], new BigInt64Array([-1n])));
    signs = b.node('Reshape', [signs, FLAT_SHAPE_NAME], {}, { name: `${name}.flatten`, outputs: [`${name}.flat`] });
    // drop the zero padding bits of the last byte
    if (opset < 10) {
      signs = b.node('Slice', [signs], { starts: [0], ends: [n], axes: [0] }, { name: `${name}.slice`, outputs: [`${name}.signs`] });
    } else {
      const starts = b.initializer(`${name}.slice_starts`, tensor('int64', [1], new BigInt64Array([0n])));
      const ends = b.initializer(`${name}.slice_ends`, tensor('int64', [1], new BigInt64Array([BigInt(n)])));
      const axes = b.initializer(`${name}.slice_axes`, tensor('int64', [1], new BigInt64Array([0n])));
      signs = b.node('Slice', [signs, starts, ends, axes], {}, { name: `${name}.slice`, outputs: [`${name}.signs`] });
    }
  }
  const shape = b.initializer(`${name}.shape`, tensor('int64', [dims.length], BigInt64Array.from(dims, BigInt)));
  const unscaled = b.node('Reshape', [signs, shape], {}, { name: `${name}.reshape`, outputs: [`${name}.unscaled`] });
  const scaleName = b.initializer(`${name}.scale`, scale);
  return b.node('Mul', [unscaled, scaleName], {}, { name: `${name}.mul`, outputs: [name] });
}

/**
 * Checks that `w` can be written for `opset`: positive integer dims, ⌈n/8⌉ bytes of bits, an opset in
 * MIN_OPSET…MAX_OPSET. Dims, bits, opset and scales come from the model being converted: a mismatch
 * is bad data (ModelError naming the weight), not a bad call.
 */
export function checkBinaryWeight(name: string, w: BinaryWeight, opset: number): void {
  const dims = [...w.dims];
  const n = dims.reduce((a, d) => a * d, 1);
  if (!dims.every((d) => Number.isSafeInteger(d) && d > 0)) throw new ModelError(`binary weight "${name}" has invalid dims [${dims.join(', ')}].`, name);
  if (w.bits.length !== Math.ceil(n / 8)) throw new ModelError(`binary weight "${name}" of shape [${dims.join(', ')}] needs ${Math.ceil(n / 8)} bytes of bits but has ${w.bits.length}.`, name);
  if (opset < MIN_OPSET || opset > MAX_OPSET || !Number.isInteger(opset)) throw new ModelError(`binary weight "${name}" is emitted for opset ${opset}, outside the ${MIN_OPSET}–${MAX_OPSET} range onebit writes.`, name);
}

/** The float32 values sign × scale of `n` packed signs; `scale` holds one value or one per row. */
function signsTimesScale(bits: Uint8Array, n: number, scale: Float32Array): Float32Array {
  const values = unpackSigns(bits, n);
  const per = n / scale.length;
  for (let r = 0; r < scale.length; r++) {
    const s = scale[r]!;
    for (let k = r * per; k < (r + 1) * per; k++) values[k]! *= s;
  }
  return values;
}

/** The float32 tensor a BinaryWeight decodes to (what the packed decode subgraph computes). */
export function binaryWeightValues(name: string, w: BinaryWeight): Float32Array {
  const n = w.dims.reduce((a, d) => a * d, 1);
  return signsTimesScale(w.bits, n, binaryWeightScale(name, w, [...w.dims]).data);
}

/** The scale as a float32 scalar, or [Cout, 1, …, 1] for per-output-channel scales; ModelError when not finite or of the wrong length. */
export function binaryWeightScale(name: string, w: BinaryWeight, dims: number[]) {
  if (typeof w.scale === 'number') {
    if (!Number.isFinite(w.scale)) throw new ModelError(`binary weight "${name}" has scale ${w.scale}, not a finite number.`, name);
    return tensor('float32', [], new Float32Array([w.scale]));
  }
  if (w.scale.length !== dims[0]) throw new ModelError(`binary weight "${name}" has ${w.scale.length} scales for ${dims[0]} output channels.`, name);
  const bad = w.scale.findIndex((s) => !Number.isFinite(s));
  if (bad >= 0) throw new ModelError(`binary weight "${name}" has scale ${w.scale[bad]} for channel ${bad}, not a finite number.`, name);
  return tensor('float32', [dims[0]!, ...dims.slice(1).map(() => 1)], w.scale.slice());
}
