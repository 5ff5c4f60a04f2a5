/**
 * What a `.onebit` container holds, as plain data: free-form model metadata, an optional opaque
 * graph blob, and named tensors that are either binary weights (bits + scale) or plain tensors.
 */
import type { BinaryWeight } from '@onebit/bits';
import type { Tensor } from '@onebit/core';
import type { FloatEncoding } from './float-encoding.js';

export type ContainerTensor =
  | { readonly name: string; readonly role: 'binary-weight'; readonly weight: BinaryWeight }
  | { readonly name: string; readonly role: 'float'; readonly tensor: Tensor; readonly encoding?: FloatEncoding };

export interface Container {
  /** Any JSON object; stored verbatim, never interpreted. */
  readonly model: Record<string, unknown>;
  /** Opaque bytes (e.g. an ONNX graph skeleton); stored and checksummed, never interpreted. */
  readonly graph?: Uint8Array;
  /** How the graph bytes are stored: 'raw' (default) or 'deflate' (version 2). */
  readonly graphEncoding?: 'raw' | 'deflate';
  readonly tensors: readonly ContainerTensor[];
}
