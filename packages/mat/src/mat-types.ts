/**
 * The values a MAT level-5 file holds, as plain data: numeric arrays on typed arrays of their
 * MATLAB class (column-major, as stored), char arrays as text, cells and structs recursively.
 */

/** MATLAB numeric class → the typed array that holds its values. */
export interface MatClassDataMap {
  double: Float64Array;
  single: Float32Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
}

export type MatClassName = keyof MatClassDataMap;

export type MatNumericOf<C extends MatClassName> = {
  readonly kind: 'numeric';
  readonly className: C;
  /** A MATLAB logical array (stored as class uint8 with the logical flag). */
  readonly logical: boolean;
  readonly dims: number[];
  /** Values in MATLAB column-major order (first index fastest). */
  readonly data: MatClassDataMap[C];
  /** Imaginary parts, present only for complex arrays. */
  readonly imag?: MatClassDataMap[C];
};

/** A numeric array of any class; narrow it by testing `className`. */
export type MatNumeric = { [C in MatClassName]: MatNumericOf<C> }[MatClassName];

export type MatChar = {
  readonly kind: 'char';
  readonly dims: number[];
  /** The characters read row by row, rows joined by '\n' (a 1×n char array is just its string). */
  readonly text: string;
};

export type MatCell = {
  readonly kind: 'cell';
  readonly dims: number[];
  /** The cells in column-major order. */
  readonly cells: MatValue[];
};

export type MatStruct = {
  readonly kind: 'struct';
  readonly dims: number[];
  readonly fieldNames: string[];
  /** One map per struct element, column-major, each with every field in `fieldNames` order. */
  readonly elements: Array<Map<string, MatValue>>;
  /** Repeated field names in the file, renamed as scipy does (the n-th repeat of `x` → `_n_x`). */
  readonly renamedFields?: ReadonlyArray<{ readonly from: string; readonly to: string }>;
};

export type MatValue = MatNumeric | MatChar | MatCell | MatStruct;

export type MatFile = {
  /** The 116-byte descriptive text of the header, trailing spaces and NULs removed. */
  readonly header: string;
  /** Header version field; 0x0100 for every level-5 file. */
  readonly version: number;
  readonly littleEndian: boolean;
  /** Variables in file order. */
  readonly variables: Map<string, MatValue>;
};

export type ReadMatOptions = {
  /** Most bytes all compressed variables of the file may inflate to, together (default 512 MiB, DEFAULT_MAX_INFLATED_BYTES). */
  maxInflatedBytes?: number;
  /**
   * Most bytes all decoded arrays of the file may take, together: element count × bytes per element
   * of the class (8 for double, ×2 when complex; 2 per char), charged before each allocation
   * (default 256 MiB, DEFAULT_MAX_TENSOR_BYTES).
   */
  maxTensorBytes?: number;
  /** Deepest nesting of cells and structs accepted (default 64). */
  maxDepth?: number;
};
