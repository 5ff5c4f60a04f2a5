/**
 * TensorProto.DataType numbers (onnx.proto `enum DataType`) ↔ onebit dtypes. STRING, COMPLEX64,
 * COMPLEX128 and the 8/4/2-bit types have no onebit dtype: readers carry such tensors through
 * untouched, and dtypeOfDataType refuses them by name.
 */
import { type DType, UnsupportedError } from '@onebit/core';

export const DATA_TYPE: Readonly<Record<DType, number>> = {
  float32: 1, uint8: 2, int8: 3, uint16: 4, int16: 5, int32: 6, int64: 7, bool: 9,
  float16: 10, float64: 11, uint32: 12, uint64: 13, bfloat16: 16,
};

const BY_NUMBER = new Map<number, DType>(Object.entries(DATA_TYPE).map(([k, v]) => [v, k as DType]));

const NAMES: Record<number, string> = {
  0: 'UNDEFINED', 8: 'STRING', 14: 'COMPLEX64', 15: 'COMPLEX128', 17: 'FLOAT8E4M3FN', 18: 'FLOAT8E4M3FNUZ',
  19: 'FLOAT8E5M2', 20: 'FLOAT8E5M2FNUZ', 21: 'UINT4', 22: 'INT4', 23: 'FLOAT4E2M1', 24: 'FLOAT8E8M0',
  25: 'UINT2', 26: 'INT2',
};

/** True when ONNX data_type `n` has an onebit dtype. */
export function isKnownDataType(n: number): boolean {
  return BY_NUMBER.has(n);
}

/** The onebit dtype of ONNX data_type `n`; `where` names the tensor or value for the error. */
export function dtypeOfDataType(n: number, where: string): DType {
  const dtype = BY_NUMBER.get(n);
  if (dtype) return dtype;
  const name = NAMES[n] ? ` (${NAMES[n]})` : '';
  throw new UnsupportedError(`ONNX: data_type ${n}${name} of ${where} is not supported by onebit.`);
}
