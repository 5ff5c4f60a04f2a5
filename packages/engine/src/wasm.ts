/**
 * Instantiates the engine's WebAssembly kernels (assembly/index.ts, embedded at build time as
 * base64) and types their exports. Each loaded model gets its own instance and linear memory.
 */
import { ENGINE_WASM_BASE64 } from './engine-wasm.generated.js';

/** The kernels' exports; every pointer is a byte address in `memory`, see assembly/index.ts. */
export interface EngineKernels {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  padPlanes(x: number, C: number, H: number, W: number, pad: number, Cp: number, Hp: number, Wp: number, pt: number, pl: number): void;
  convBinary(
    pad: number, Cp: number, Hp: number, Wp: number,
    y: number, O: number, OH: number, OW: number,
    wn: number, scale: number, scaleStep: number, bias: number,
    KH: number, KW: number, sh: number, sw: number, dh: number, dw: number,
    tab: number, acc: number,
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
}

let compiled: WebAssembly.Module | undefined;

function wasmBytes(): Uint8Array<ArrayBuffer> {
  const text = atob(ENGINE_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The engine's compiled module (compiled once per process). */
export function engineModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(wasmBytes());
  return compiled;
}

/** Size in bytes of the engine's .wasm binary. */
export function engineWasmSize(): number {
  return wasmBytes().length;
}

/** A fresh instance of the kernels with its own memory. */
export function instantiateKernels(): EngineKernels {
  const instance = new WebAssembly.Instance(engineModule(), {
    env: {
      abort: (_msg: number, _file: number, line: number, col: number) => {
        throw new Error(`engine kernel aborted at assembly/index.ts:${line}:${col}`);
      },
    },
  });
  return instance.exports as unknown as EngineKernels;
}
