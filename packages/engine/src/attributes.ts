/** Typed access to ONNX node attributes, with the operator's default when absent. */
import type { OnnxNode } from '@onebit/onnx';
import { UnsupportedOpError } from './errors.js';

export function attrInt(node: OnnxNode, name: string, fallback: number): number {
  const a = node.attributes[name];
  if (!a) return fallback;
  if (a.type !== 'int') throw new UnsupportedOpError(node.opType, node.name, `attribute ${name} of type ${a.type}`);
  return a.value;
}

export function attrFloat(node: OnnxNode, name: string, fallback: number): number {
  const a = node.attributes[name];
  if (!a) return fallback;
  if (a.type !== 'float') throw new UnsupportedOpError(node.opType, node.name, `attribute ${name} of type ${a.type}`);
  return a.value;
}

export function attrInts(node: OnnxNode, name: string): number[] | undefined {
  const a = node.attributes[name];
  if (!a) return undefined;
  if (a.type !== 'ints') throw new UnsupportedOpError(node.opType, node.name, `attribute ${name} of type ${a.type}`);
  return a.value;
}

export function attrString(node: OnnxNode, name: string, fallback: string): string {
  const a = node.attributes[name];
  if (!a) return fallback;
  if (a.type !== 'string') throw new UnsupportedOpError(node.opType, node.name, `attribute ${name} of type ${a.type}`);
  return a.value;
}

/** Integer values of a constant int64/int32 input (shapes, axes, pads), or an error naming it. */
export function constInts(node: OnnxNode, index: number, t: { dtype: string; data: ArrayLike<number | bigint> } | undefined): number[] {
  if (!t || (t.dtype !== 'int64' && t.dtype !== 'int32')) {
    throw new UnsupportedOpError(node.opType, node.name, `input ${index} ('${node.inputs[index]}') not a constant int64 tensor`);
  }
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}
