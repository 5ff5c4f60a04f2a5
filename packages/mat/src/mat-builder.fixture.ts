/**
 * Test-only builder of tiny MAT level-5 files, byte by byte as the spec lays them out, so tests can
 * state exactly which tags, storage types, paddings and byte orders a file uses. Excluded from the
 * build (tsconfig) and from the package's exports.
 */
import { zlibSync } from 'fflate';
import {
  miCOMPRESSED, miDOUBLE, miINT16, miINT32, miINT64, miINT8, miMATRIX, miSINGLE, miUINT16, miUINT32, miUINT64, miUINT8,
  miUTF16, miUTF32, miUTF8,
} from './mat-codes.js';

const SIZES: Record<number, number> = {
  [miINT8]: 1, [miUINT8]: 1, [miINT16]: 2, [miUINT16]: 2, [miINT32]: 4, [miUINT32]: 4, [miSINGLE]: 4,
  [miDOUBLE]: 8, [miINT64]: 8, [miUINT64]: 8, [miUTF8]: 1, [miUTF16]: 2, [miUTF32]: 4,
};

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `values` encoded as `type` in the given byte order. */
export function encode(type: number, values: ArrayLike<number | bigint>, littleEndian = true): Uint8Array {
  const size = SIZES[type]!;
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const at = i * size;
    switch (type) {
      case miINT8: view.setInt8(at, Number(v)); break;
      case miUINT8: case miUTF8: view.setUint8(at, Number(v)); break;
      case miINT16: view.setInt16(at, Number(v), littleEndian); break;
      case miUINT16: case miUTF16: view.setUint16(at, Number(v), littleEndian); break;
      case miINT32: view.setInt32(at, Number(v), littleEndian); break;
      case miUINT32: case miUTF32: view.setUint32(at, Number(v), littleEndian); break;
      case miSINGLE: view.setFloat32(at, Number(v), littleEndian); break;
      case miDOUBLE: view.setFloat64(at, Number(v), littleEndian); break;
      case miINT64: view.setBigInt64(at, BigInt(v), littleEndian); break;
      case miUINT64: view.setBigUint64(at, BigInt(v), littleEndian); break;
      default: throw new RangeError(`no size for type ${type}`);
    }
  }
  return out;
}

/** A data element: 8-byte tag + data + padding to 8, or (small) 4-byte tag + data padded to 4. */
export function element(type: number, data: Uint8Array, options: { littleEndian?: boolean; small?: boolean } = {}): Uint8Array {
  const le = options.littleEndian ?? true;
  if (options.small) {
    if (data.length > 4) throw new RangeError('small elements hold at most 4 bytes');
    const tag = new Uint8Array(4);
    new DataView(tag.buffer).setUint32(0, (data.length << 16) | type, le);
    return concat(tag, data, new Uint8Array(4 - data.length));
  }
  const tag = new Uint8Array(8);
  new DataView(tag.buffer).setUint32(0, type, le);
  new DataView(tag.buffer).setUint32(4, data.length, le);
  return concat(tag, data, new Uint8Array((8 - (data.length % 8)) % 8));
}

export type MatrixSpec = {
  classCode: number;
  flags?: number;
  dims: number[];
  name?: string;
  /** The class's own subelements (data parts, field names, nested matrices), already encoded. */
  parts: Uint8Array[];
  littleEndian?: boolean;
  /** Write the name as a small data element when it fits (as MATLAB does). */
  smallName?: boolean;
  /** Data types of the dimensions and the name (default miINT32 and miINT8, as MATLAB writes them). */
  dimsType?: number;
  nameType?: number;
};

/** An miMATRIX element: array flags, dimensions, name, then `parts`. */
export function matrix(spec: MatrixSpec): Uint8Array {
  const le = spec.littleEndian ?? true;
  const name = new TextEncoder().encode(spec.name ?? '');
  const body = concat(
    element(miUINT32, encode(miUINT32, [(spec.flags ?? 0) | spec.classCode, 0], le), { littleEndian: le }),
    element(spec.dimsType ?? miINT32, encode(spec.dimsType ?? miINT32, spec.dims, le), { littleEndian: le }),
    element(spec.nameType ?? miINT8, name, { littleEndian: le, small: (spec.smallName ?? true) && name.length > 0 && name.length <= 4 }),
    ...spec.parts,
  );
  return element(miMATRIX, body, { littleEndian: le });
}

/** An miCOMPRESSED element wrapping one miMATRIX element; not padded, like MATLAB writes it. */
export function compressed(matrixElement: Uint8Array, littleEndian = true): Uint8Array {
  const z = zlibSync(matrixElement);
  const tag = new Uint8Array(8);
  new DataView(tag.buffer).setUint32(0, miCOMPRESSED, littleEndian);
  new DataView(tag.buffer).setUint32(4, z.length, littleEndian);
  return concat(tag, z);
}

/** The 128-byte header: text padded with spaces, zero subsystem offset, version 0x0100, 'IM'/'MI'. */
export function header(littleEndian = true, text = 'MATLAB 5.0 MAT-file, Platform: onebit test'): Uint8Array {
  const out = new Uint8Array(128).fill(0x20);
  out.set(new TextEncoder().encode(text));
  out.fill(0, 116, 124);
  new DataView(out.buffer).setUint16(124, 0x0100, littleEndian);
  new DataView(out.buffer).setUint16(126, 0x4d49, littleEndian); // 'MI' as a uint16 reads 'IM' when little-endian
  return out;
}

export function matFile(littleEndian: boolean, ...elements: Uint8Array[]): Uint8Array {
  return concat(header(littleEndian), ...elements);
}
