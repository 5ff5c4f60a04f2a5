/**
 * The size report of a container's tensors (pure logic, no I/O): per layer the weights, the bits
 * and bytes its sections take on disk, the float32 bytes it takes in memory after decoding, and
 * the ratio to the 1-bit floor (one bit per weight). Compressed sizes (gzip, brotli) are measured
 * by the caller — node:zlib is not allowed here — and passed in to appear beside the rest.
 */
import { DTYPE_BYTES, elementCount } from '@onebit/core';
import { shuffleDeflate } from './float-encoding.js';
import type { ContainerTensor } from './container-types.js';
import { binaryDataBytes, floatDataBytes, scaleBytes } from './section-sizes.js';

export interface CompressedSizes {
  readonly gzip?: number;
  readonly brotli?: number;
}

export interface LayerSize {
  readonly name: string;
  readonly role: ContainerTensor['role'];
  readonly dims: readonly number[];
  /** Stored dtype: "bit" for binary weights. */
  readonly dtype: string;
  readonly weights: number;
  /** Bits of the tensor's sections: row words (with row padding) plus a per-channel scale. */
  readonly bitsOnDisk: number;
  readonly bytesOnDisk: number;
  /** Bytes as float32 after decoding (weights × 4). */
  readonly float32Bytes: number;
  /** bitsOnDisk / weights: 1 is the floor; 32 is float32. 0 for an empty tensor. */
  readonly ratioToFloor: number;
  readonly compressed?: CompressedSizes;
}

export interface SizeTotals {
  readonly weights: number;
  readonly binaryWeights: number;
  readonly bitsOnDisk: number;
  readonly bytesOnDisk: number;
  readonly float32Bytes: number;
  readonly ratioToFloor: number;
  /** The whole file, when given: sections plus preamble, header and alignment padding. */
  readonly fileBytes?: number;
  /** fileBytes − bytesOnDisk. */
  readonly overheadBytes?: number;
  readonly compressed?: CompressedSizes;
}

export interface SizeReport {
  readonly layers: readonly LayerSize[];
  readonly total: SizeTotals;
}

export interface SizeReportOptions {
  /** Length of the container file; the total ratio then counts every byte of it. */
  readonly fileBytes?: number;
  /** Compressed sizes of the whole file. */
  readonly compressed?: CompressedSizes;
  /** Compressed sizes per tensor name. */
  readonly layerCompressed?: ReadonlyMap<string, CompressedSizes>;
}

function ratio(bits: number, weights: number): number {
  return weights === 0 ? 0 : bits / weights;
}

function layerSize(t: ContainerTensor, compressed: CompressedSizes | undefined): LayerSize {
  const dims = t.role === 'binary-weight' ? t.weight.dims : t.tensor.dims;
  const weights = elementCount(dims);
  const bytesOnDisk = t.role === 'binary-weight'
    ? binaryDataBytes(dims) + (typeof t.weight.scale === 'number' ? 0 : scaleBytes(dims))
    : t.encoding === 'shuffle-deflate'
      ? shuffleDeflate(new Uint8Array(t.tensor.data.buffer, t.tensor.data.byteOffset, t.tensor.data.byteLength), DTYPE_BYTES[t.tensor.dtype]).length
      : floatDataBytes(dims, t.tensor.dtype);
  const layer = {
    name: t.name,
    role: t.role,
    dims: [...dims],
    dtype: t.role === 'binary-weight' ? 'bit' : t.tensor.dtype,
    weights,
    bitsOnDisk: bytesOnDisk * 8,
    bytesOnDisk,
    float32Bytes: weights * 4,
    ratioToFloor: ratio(bytesOnDisk * 8, weights),
  };
  return compressed ? { ...layer, compressed } : layer;
}

/** Per-layer and total sizes of `tensors`, as the container stores them. */
export function sizeReport(tensors: readonly ContainerTensor[], options: SizeReportOptions = {}): SizeReport {
  const layers = tensors.map((t) => layerSize(t, options.layerCompressed?.get(t.name)));
  let weights = 0, binaryWeights = 0, bytesOnDisk = 0, float32Bytes = 0;
  for (const l of layers) {
    weights += l.weights;
    if (l.role === 'binary-weight') binaryWeights += l.weights;
    bytesOnDisk += l.bytesOnDisk;
    float32Bytes += l.float32Bytes;
  }
  const counted = options.fileBytes ?? bytesOnDisk;
  const total: SizeTotals = {
    weights,
    binaryWeights,
    bitsOnDisk: bytesOnDisk * 8,
    bytesOnDisk,
    float32Bytes,
    ratioToFloor: ratio(counted * 8, weights),
    ...(options.fileBytes === undefined ? {} : { fileBytes: options.fileBytes, overheadBytes: options.fileBytes - bytesOnDisk }),
    ...(options.compressed ? { compressed: options.compressed } : {}),
  };
  return { layers, total };
}

function cell(v: number | undefined): string {
  return v === undefined ? '—' : v.toLocaleString('en-US');
}

/** The report as a fixed-width text table (one row per layer, then the total). */
export function formatSizeReport(report: SizeReport): string {
  const head = ['layer', 'dims', 'weights', 'bits on disk', 'bytes on disk', 'gzip', 'brotli', 'float32 bytes', '× 1-bit floor'];
  const rows = report.layers.map((l) => [
    l.name, l.dims.length === 0 ? 'scalar' : l.dims.join('×'), cell(l.weights), cell(l.bitsOnDisk), cell(l.bytesOnDisk),
    cell(l.compressed?.gzip), cell(l.compressed?.brotli), cell(l.float32Bytes), l.ratioToFloor.toFixed(3),
  ]);
  const t = report.total;
  rows.push([
    t.fileBytes === undefined ? 'total (sections)' : 'total (file)', '', cell(t.weights), cell(t.bitsOnDisk),
    cell(t.fileBytes ?? t.bytesOnDisk), cell(t.compressed?.gzip), cell(t.compressed?.brotli), cell(t.float32Bytes), t.ratioToFloor.toFixed(3),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
