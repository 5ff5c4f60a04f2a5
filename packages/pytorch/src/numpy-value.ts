/**
 * numpy values inside a checkpoint, built as plain data without running numpy: `numpy.dtype`
 * (then BUILD with its state tuple), `numpy.core.multiarray.scalar(dtype, bytes)` → number, bigint or
 * boolean, and arrays from `_reconstruct(ndarray, (0,), b'b')` + BUILD `(version, shape, dtype,
 * is_fortran, rawdata)` or `_frombuffer(buffer, dtype, shape, order)` → @onebit/core Tensor. The
 * pickled layouts are those of numpy/core/src/multiarray/methods.c (`array_reduce`, `array_setstate`)
 * and descriptor.c (`arraydescr_reduce`, `arraydescr_setstate`). Dtypes onebit has no tensor type for
 * (complex, strings, objects, structured) become inert OpaqueObject placeholders.
 */
import { DTYPE_BYTES, type DType, FormatError, LimitError, type Tensor, type TensorBudget, allocate, elementCount, float16ToNumber, formatDims, readElementsLE } from '@onebit/core';
import { OpaqueObject, describeValue } from './pickle-value.js';
import { gather } from './rebuild-tensor.js';
import { swapBytes } from './storage.js';

/** numpy type code (kind + item size) → onebit element type. */
const NUMPY_DTYPES: Readonly<Record<string, DType>> = {
  f2: 'float16', f4: 'float32', f8: 'float64', i1: 'int8', i2: 'int16', i4: 'int32', i8: 'int64',
  u1: 'uint8', u2: 'uint16', u4: 'uint32', u8: 'uint64', b1: 'bool',
};

/** A `numpy.dtype` as its pickle describes it; BUILD fills in the byte order and structure. */
export class NumpyDtype {
  /** '<' little, '>' big, '|' not applicable, '=' native (little on every host onebit runs on). */
  byteorder: string;
  /** True when BUILD gave field names (a structured dtype). */
  structured = false;

  constructor(
    /** The type code without byte order, e.g. 'f8', 'i4', 'U5', 'O8'. */
    readonly code: string,
  ) {
    this.byteorder = /^[<>|=]/.test(code) ? code[0]! : '=';
  }

  /** The onebit element type, or undefined when onebit has none (complex, strings, objects, ...). */
  get dtype(): DType | undefined {
    if (this.structured) return undefined;
    return NUMPY_DTYPES[this.code.replace(/^[<>|=]/, '')];
  }

  get bigEndian(): boolean {
    return this.byteorder === '>';
  }

  /** numpy's `dtype.str`, e.g. '<f8'. */
  get str(): string {
    const code = this.code.replace(/^[<>|=]/, '');
    return `${this.byteorder === '=' ? '<' : this.byteorder}${code}`;
  }
}

/** `numpy.dtype(code, align, copy)`. */
export function numpyDtype(args: readonly unknown[], format: string, offset: number): NumpyDtype {
  const [code] = args;
  if (typeof code !== 'string' || !/^[<>|=]?[a-zA-Z?][0-9]*$/.test(code)) {
    throw new FormatError(format, `numpy.dtype at byte ${offset} gets ${describeValue(code)} instead of a type code such as 'f8'.`, offset);
  }
  return new NumpyDtype(code);
}

/** BUILD of a dtype: `(version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata])`. */
export function setDtypeState(target: NumpyDtype, state: unknown, format: string, offset: number): void {
  if (!Array.isArray(state) || state.length < 8 || typeof state[1] !== 'string' || !/^[<>|=]$/.test(state[1])) {
    throw new FormatError(format, `BUILD at byte ${offset} gives numpy.dtype '${target.code}' the state ${describeValue(state)} instead of a (version, byteorder, ...) tuple.`, offset);
  }
  target.byteorder = state[1];
  target.structured = state[2] !== null || state[3] !== null;
}

/** `numpy.core.multiarray.scalar(dtype, bytes)`: a number, bigint or boolean; other dtypes stay inert. */
export function numpyScalar(args: readonly unknown[], format: string, offset: number): unknown {
  const [dtype, payload] = args;
  if (!(dtype instanceof NumpyDtype)) throw new FormatError(format, `numpy scalar at byte ${offset} gets ${describeValue(dtype)} instead of a numpy.dtype.`, offset);
  if (dtype.code.replace(/^[<>|=]/, '').startsWith('O')) return payload;
  const t = dtype.dtype;
  if (!t) return new OpaqueObject(`numpy scalar of dtype '${dtype.str}'`, [...args]);
  const bytes = asBytes(payload);
  if (!bytes || bytes.length !== DTYPE_BYTES[t]) {
    throw new FormatError(format, `numpy scalar of dtype '${dtype.str}' at byte ${offset} holds ${describeValue(payload)} instead of ${DTYPE_BYTES[t]} bytes.`, offset);
  }
  const data = readElementsLE(t, dtype.bigEndian ? swapBytes(bytes.slice(), DTYPE_BYTES[t]) : bytes, 0, 1);
  const x = data[0]!;
  if (t === 'bool') return x !== 0;
  if (t === 'float16') return float16ToNumber(x as number);
  if (typeof x === 'bigint') return x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x;
  return x;
}

/** Python 2 pickles numpy bytes as a latin-1 `str`; both become bytes here. */
function asBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string' && ![...value].some((c) => c.charCodeAt(0) > 0xff)) return Uint8Array.from(value, (c) => c.charCodeAt(0));
  return undefined;
}

/** A numpy array as its pickle describes it; BUILD (or `_frombuffer`) fills it in. */
export class NumpyArrayRef {
  shape: number[] = [0];
  dtype: NumpyDtype = new NumpyDtype('b1');
  fortran = false;
  /** The raw element bytes, or the element list of an object array. */
  raw: Uint8Array | unknown[] = new Uint8Array(0);
}

/** `numpy.core.multiarray._reconstruct(ndarray, (0,), b'b')`: an empty array that BUILD fills. */
export function numpyReconstruct(): NumpyArrayRef {
  return new NumpyArrayRef();
}

/** BUILD of an array: `(version, shape, dtype, is_fortran, rawdata)` (the version may be absent). */
export function setArrayState(target: NumpyArrayRef, state: unknown, format: string, offset: number): void {
  const fields = Array.isArray(state) && state.length === 5 ? state.slice(1) : state;
  const bad = (why: string): never => {
    throw new FormatError(format, `BUILD at byte ${offset} gives a numpy array ${why}.`, offset);
  };
  if (!Array.isArray(fields) || fields.length !== 4) return bad(`the state ${describeValue(state)} instead of (version, shape, dtype, is_fortran, rawdata)`);
  const [shape, dtype, fortran, raw] = fields;
  setArray(target, shape, dtype, fortran === true || fortran === 1, raw, bad);
}

/** `numpy.core.numeric._frombuffer(buffer, dtype, shape, order)` (protocol 5 arrays). */
export function numpyFromBuffer(args: readonly unknown[], format: string, offset: number): NumpyArrayRef {
  const [buffer, dtype, shape, order] = args;
  const out = new NumpyArrayRef();
  setArray(out, shape, dtype, order === 'F', buffer, (why) => {
    throw new FormatError(format, `numpy _frombuffer at byte ${offset} gets ${why}.`, offset);
  });
  return out;
}

function setArray(target: NumpyArrayRef, shape: unknown, dtype: unknown, fortran: boolean, raw: unknown, bad: (why: string) => never): void {
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) bad(`the shape ${describeValue(shape)}`);
  if (!(dtype instanceof NumpyDtype)) bad(`${describeValue(dtype)} instead of a numpy.dtype`);
  const bytes = asBytes(raw);
  if (!bytes && !Array.isArray(raw)) bad(`${describeValue(raw)} instead of its element bytes or list`);
  target.shape = shape as number[];
  target.dtype = dtype as NumpyDtype;
  target.fortran = fortran;
  target.raw = bytes ?? (raw as unknown[]);
}

/**
 * The array as a contiguous C-order tensor, charged to `budget`; an array of a dtype onebit has no
 * tensor type for becomes an inert OpaqueObject holding its dtype and elements.
 */
export function materializeNumpyArray(ref: NumpyArrayRef, format: string, name: string, budget: TensorBudget): Tensor | OpaqueObject {
  const t = ref.dtype.dtype;
  if (!t || !(ref.raw instanceof Uint8Array)) {
    const placeholder = new OpaqueObject(`numpy.ndarray of dtype '${ref.dtype.str}'`, [ref.shape]);
    placeholder.state = ref.raw;
    return placeholder;
  }
  const n = elementCount(ref.shape);
  const bytes = n * DTYPE_BYTES[t];
  if (!Number.isSafeInteger(bytes)) throw new LimitError(`${format}: numpy array '${name}' of shape ${formatDims(ref.shape)} is too large to hold in memory.`);
  if (bytes !== ref.raw.length) {
    throw new FormatError(format, `numpy array '${name}' of shape ${formatDims(ref.shape)} and dtype '${ref.dtype.str}' needs ${bytes} bytes but holds ${ref.raw.length}.`);
  }
  budget.charge(format, `numpy array '${name}' of shape ${formatDims(ref.shape)} (${t})`, bytes);
  const source = readElementsLE(t, ref.dtype.bigEndian ? swapBytes(ref.raw.slice(), DTYPE_BYTES[t]) : ref.raw, 0, n);
  if (!ref.fortran || ref.shape.length < 2) return { dtype: t, dims: [...ref.shape], data: source } as Tensor;
  const stride: number[] = [];
  for (let d = 0, s = 1; d < ref.shape.length; d++) {
    stride.push(s);
    s *= ref.shape[d]!;
  }
  return { dtype: t, dims: [...ref.shape], data: gather(source, allocate(t, n), 0, ref.shape, stride) } as Tensor;
}

/** A dtype kept as a value (e.g. in hyper-parameters) becomes its numpy name, e.g. 'float32'. */
export function numpyDtypeName(dtype: NumpyDtype): string {
  return dtype.dtype && dtype.dtype !== 'bool' ? dtype.dtype : dtype.str;
}
