/**
 * The row layout of a packed binary weight: the tensor is viewed as `rows = dims[0]` output
 * channels of `rowLength = product(dims[1..])` elements (Cin·kH·kW in C order), each row padded
 * to whole 32-bit words. Rank 0 and rank 1 tensors are a single row of all their elements.
 */

export interface RowLayout {
  readonly rows: number;
  readonly rowLength: number;
  /** ⌈rowLength / 32⌉: the 32-bit words each row occupies. */
  readonly rowWords: number;
}

/** Words one row of `rowLength` elements takes, padding included. */
export function wordsPerRow(rowLength: number): number {
  return Math.ceil(rowLength / 32);
}

/** The packing rows of a tensor of shape `dims` (packing axis 0). */
export function rowLayout(dims: readonly number[]): RowLayout {
  let n = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw new RangeError(`rowLayout: dimension ${d} in [${dims.join(', ')}] is not a non-negative integer.`);
    n *= d;
  }
  if (!Number.isSafeInteger(n)) throw new RangeError(`rowLayout: [${dims.join(', ')}] has more elements than a safe integer.`);
  const rows = dims.length >= 2 ? dims[0]! : 1;
  const rowLength = dims.length >= 2 ? (rows === 0 ? elementsAfterFirst(dims) : n / rows) : n;
  return { rows, rowLength, rowWords: wordsPerRow(rowLength) };
}

function elementsAfterFirst(dims: readonly number[]): number {
  let n = 1;
  for (let i = 1; i < dims.length; i++) n *= dims[i]!;
  return n;
}

/** Throws a RangeError unless rows and rowLength are non-negative safe integers. */
export function checkRowArgs(who: string, rows: number, rowLength: number): void {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`${who}: rows ${rows} is not a non-negative integer.`);
  if (!Number.isSafeInteger(rowLength) || rowLength < 0) throw new RangeError(`${who}: rowLength ${rowLength} is not a non-negative integer.`);
  if (!Number.isSafeInteger(rows * rowLength)) throw new RangeError(`${who}: ${rows} rows of ${rowLength} elements exceed a safe integer.`);
}
