/**
 * Turns a float weight into a BinaryWeight: sign(w) with sign(0) = +1, packed per the bit
 * convention of @onebit/bits, and a scale kept beside the bits (the paper's He scale by default).
 */
import { packSigns, type BinaryWeight } from '@onebit/bits';
import { ModelError, toFloat32, type Tensor } from '@onebit/core';
import { heScale, meanAbsScale } from './scale.js';

/** How to choose the scale: the paper's `he`, BWN's per-channel `mean-abs`, or a fixed number. */
export type ScaleRule = 'he' | 'mean-abs' | number;

export function binarizeTensor(t: Tensor, rule: ScaleRule = 'he', name = 'weight'): BinaryWeight {
  if (t.dtype === 'int64' || t.dtype === 'uint64' || t.dtype === 'bool') {
    throw new ModelError(`Weight '${name}' has dtype ${t.dtype}; only floating-point and small integer weights can be binarized.`, name);
  }
  const values = toFloat32(t.dtype, t.data);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new ModelError(`Weight '${name}' holds ${values[i]} at element ${i}; cannot take its sign.`, name);
  }
  const scale = rule === 'he' ? heScale(t.dims, name) : rule === 'mean-abs' ? meanAbsScale(values, t.dims) : rule;
  if (typeof scale === 'number' && !(scale > 0 && Number.isFinite(scale))) {
    throw new RangeError(`Binarization scale ${scale} for '${name}' must be a positive finite number.`);
  }
  return { dims: [...t.dims], bits: packSigns(values), scale };
}

/**
 * A weight stored as 0/1 bits (bit 1 → +scale, as in the authors' files), given in C order,
 * becomes a BinaryWeight with the given scale.
 */
export function bitsToBinaryWeight(bits01: Uint8Array, dims: readonly number[], scale: number | Float32Array, name = 'weight'): BinaryWeight {
  const n = bits01.length;
  const packed = new Uint8Array(Math.ceil(n / 8));
  // 0/1 bytes already follow the convention (1 → +1): pack 8 at a time straight into a byte.
  for (let k = 0; k < n; k += 8) {
    let byte = 0;
    const end = Math.min(8, n - k);
    for (let j = 0; j < end; j++) {
      const b = bits01[k + j]!;
      if (b > 1) throw new ModelError(`Bit array '${name}' holds ${b} at element ${k + j}; expected only 0 and 1.`, name);
      byte |= b << j;
    }
    packed[k >>> 3] = byte;
  }
  return { dims: [...dims], bits: packed, scale };
}

/** The ±scale float values a BinaryWeight stands for, in C order. */
export function expandBinaryWeight(w: BinaryWeight): Float32Array {
  const n = w.dims.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const rows = w.dims[0] ?? 1;
  const rowLength = rows === 0 ? 0 : n / rows;
  for (let k = 0; k < n; k++) {
    const s = typeof w.scale === 'number' ? w.scale : w.scale[Math.floor(k / rowLength)]!;
    out[k] = (w.bits[k >>> 3]! >>> (k & 7)) & 1 ? s : -s;
  }
  return out;
}
