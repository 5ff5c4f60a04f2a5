/**
 * Instantiates the engine's WebAssembly kernels (assembly/index.ts, embedded at build time as
 * base64) and types their exports. Each loaded model gets its own instance and linear memory; a
 * threaded engine uses the shared-memory build, one instance per thread on the same memory.
 */
import { ENGINE_SHARED_WASM_BASE64, ENGINE_WASM_BASE64 } from './engine-wasm.generated.js';

/** The kernels' exports; every pointer is a byte address in `memory`, see assembly/index.ts. */
export interface EngineKernels {
  readonly memory: WebAssembly.Memory;
  /** Bytes of convBinary's `tab` scratch. */
  readonly CONV_TABLE_BYTES: WebAssembly.Global;
  alloc(bytes: number): number;
  padPlanes(x: number, C: number, H: number, W: number, pad: number, Cp: number, Hp: number, Wp: number, pt: number, pl: number): void;
  convBinary(
    pad: number, Cp: number, Hp: number, Wp: number,
    y: number, O: number, OH: number, OW: number,
    wn: number, scale: number, scaleStep: number, bias: number,
    KH: number, KW: number, sh: number, sw: number, dh: number, dw: number, pairs: number,
    tab: number, acc: number, oy0: number, oy1: number,
  ): void;
  convFloat(
    pad: number, C: number, Hp: number, Wp: number,
    y: number, O: number, OH: number, OW: number,
    wt: number, bias: number,
    KH: number, KW: number, sh: number, sw: number, dh: number, dw: number,
    patch: number,
  ): void;
  channelAffine(x: number, y: number, C: number, inner: number, a: number, aStep: number, b: number, bStep: number, relu: number): void;
  addSame(a: number, b: number, y: number, n: number): void;
  mulSame(a: number, b: number, y: number, n: number): void;
  avgPool2d(x: number, C: number, H: number, W: number, y: number, OH: number, OW: number,
    kh: number, kw: number, sh: number, sw: number, pt: number, pl: number, pb: number, pr: number, includePad: number): void;
  maxPool2d(x: number, C: number, H: number, W: number, y: number, OH: number, OW: number,
    kh: number, kw: number, sh: number, sw: number, pt: number, pl: number, dh: number, dw: number): void;
}

let compiled: WebAssembly.Module | undefined;
let compiledShared: WebAssembly.Module | undefined;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The engine's compiled module (compiled once per process). */
export function engineModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(decode(ENGINE_WASM_BASE64));
  return compiled;
}

/** The shared-memory build of the kernels (imports env.memory), for threads. */
export function engineSharedModule(): WebAssembly.Module {
  compiledShared ??= new WebAssembly.Module(decode(ENGINE_SHARED_WASM_BASE64));
  return compiledShared;
}

/** Size in bytes of the engine's .wasm binary. */
export function engineWasmSize(): number {
  return decode(ENGINE_WASM_BASE64).length;
}

/**
 * convBinary's `pairs` argument for this JavaScript engine: 1 (2 output channels per step) under
 * V8 11 — Node 20, where the 4-channel loop needs 16 xmm registers, V8 allocates 15 and one
 * accumulator is spilled on every group (`node --print-wasm-code`; 1.13–1.36× faster in
 * bench/kernel-bench.mjs on the WRN's 3×3 160→160 layer) — else 0: in Chromium 156 the 4-channel loop measured 1.13×
 * the 2-channel one, and newer or other engines keep the loop measured before this choice existed.
 * Both give the same outputs bit for bit. Read from `process.versions.v8` (absent in browsers).
 */
export function convPairs(): 0 | 1 {
  const v8 = (globalThis as { process?: { versions?: { v8?: string } } }).process?.versions?.v8;
  return v8 !== undefined && Number(v8.split('.')[0]) <= 11 ? 1 : 0;
}

/** Pages (64 KiB) a shared engine memory may grow to: 2 GiB, the engine's MAX_ENGINE_MEMORY. */
export const SHARED_MAX_PAGES = 32768;

/** The kernels' imports besides memory. */
const env = {
  abort: (_msg: number, _file: number, line: number, col: number) => {
    throw new Error(`engine kernel aborted at assembly/index.ts:${line}:${col}`);
  },
};

/**
 * A fresh instance of the kernels: with its own memory, or (threads) on `shared`, a
 * WebAssembly.Memory created with `shared: true` and SHARED_MAX_PAGES maximum pages.
 */
export function instantiateKernels(shared?: WebAssembly.Memory, module?: WebAssembly.Module): EngineKernels {
  if (!shared) return new WebAssembly.Instance(engineModule(), { env }).exports as unknown as EngineKernels;
  const instance = new WebAssembly.Instance(module ?? engineSharedModule(), { env: { ...env, memory: shared } });
  return { ...(instance.exports as unknown as EngineKernels), memory: shared };
}
