/**
 * The contract between the planner and each operator: a builder checks a node at load (throwing
 * UnsupportedOpError for anything it does not implement), reports its outputs' shapes for one
 * image, reserves weights/scratch, and later turns byte addresses into a run step.
 */
import type { Tensor } from '@onebit/core';
import type { OnnxNode } from '@onebit/onnx';
import type { PackedWeight } from './packed-weight.js';
import type { KernelThreads } from './threads.js';
import type { EngineKernels } from './wasm.js';

/** A value as the planner sees it: its shape for a batch of one, and what it is. */
export interface PlanValue {
  readonly name: string;
  readonly dims: readonly number[];
  /** An initializer (or Constant) known at load. */
  readonly constant?: Tensor;
  /** A packed 1-bit weight (recognised decode subgraph). */
  readonly packed?: PackedWeight;
}

export interface BuildContext {
  readonly kernels: EngineKernels;
  readonly opset: number;
  /** Reserve `bytes` of weight memory (counted as weights; `binary`: as packed 1-bit weights) and return its address. */
  allocWeights(bytes: number, binary?: boolean): number;
  /**
   * Places `bytes` of a packed weight's kernel layout, which `write(out, bits)` fills from the
   * weight's bits (`out` is `bytes` long), and returns its address. The layout goes over the
   * weight's own bits in the model file's region when that region may be overwritten (see
   * engine.ts planGraph), else into new weight memory; either way it counts as binary weights.
   */
  placeBinaryWeight(w: PackedWeight, bytes: number, write: (out: Uint8Array, bits: Uint8Array) => void): number;
  /** Copy a float32 constant into wasm memory once and return its address. */
  constantAddress(v: PlanValue): number;
  /** Ask for a scratch buffer of at least `bytes` under `key`; its address is known at make time. */
  scratch(key: string, bytes: number): void;
  /** Threads the engine was loaded for (1: single-threaded); ops reserve per-thread scratch. */
  readonly threads: number;
}

/** Addresses handed to `make` once memory is planned. */
export interface StepIo {
  /** Byte address of each input (0 for constants and omitted inputs). */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  scratch(key: string): number;
  /** A float32 view of the whole linear memory (valid for the engine's lifetime: memory never grows after load). */
  f32(): Float32Array;
  /** The running worker threads, when the engine was loaded for threads and startThreads has resolved. */
  threads(): KernelThreads | undefined;
}

export interface OpBuild {
  /** Shape of each output for one image. */
  readonly outputs: number[][];
  /** Output 0 is input 0's bytes unchanged (Reshape, Flatten, Identity, Squeeze). */
  readonly alias?: boolean;
  /**
   * Output 0 may overwrite this input when it is the input's last use and its buffer is large
   * enough (element-wise ops; Conv, which reads its input only through a padded copy).
   */
  readonly inPlace?: number;
  make(io: StepIo): () => void;
}

export type OpBuilder = (node: OnnxNode, inputs: PlanValue[], ctx: BuildContext) => OpBuild;
