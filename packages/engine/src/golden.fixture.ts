/**
 * Golden-test harness: runs a small ONNX graph in onnxruntime-node and in the engine on the same
 * seeded random input (a batch of two images) and returns the largest |difference| relative to
 * the largest |onnxruntime output|.
 */
import { packSigns } from '@onebit/bits';
import { encodeModel, type OnnxModel } from '@onebit/onnx';
import * as ort from 'onnxruntime-node';
import { loadEngine } from './engine.js';

/** Relative tolerance of the golden tests: float32 sums in a different order than onnxruntime's. */
export const GOLDEN_REL_TOL = 1e-5;

/** Deterministic uniform values in [lo, hi) (mulberry32). */
export function random(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (((t ^ (t >>> 14)) >>> 0) / 4294967296) * (hi - lo);
  }
  return out;
}

/** Random ±1 signs packed as PACKED.md bits. */
export function randomBits(n: number, seed: number): Uint8Array {
  return packSigns(random(n, seed).map((v) => (v >= 0 ? 1 : -1)));
}

export interface GoldenResult {
  rel: number;
  maxAbs: number;
  engine: Float32Array;
  reference: Float32Array;
}

/** Runs `model` (input 'x' of per-image shape `dims`) on 2 random images in both runtimes. */
export async function golden(model: OnnxModel, dims: readonly number[], seed = 1): Promise<GoldenResult> {
  const per = dims.reduce((p, d) => p * d, 1);
  const x = random(2 * per, seed);
  const bytes = encodeModel(model);
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  const out = await session.run({ x: new ort.Tensor('float32', x, [2, ...dims]) });
  const reference = out[session.outputNames[0]!]!.data as Float32Array;
  const refDims = out[session.outputNames[0]!]!.dims;
  const [result] = loadEngine(bytes).run(x, [2, ...dims]);
  const engine = result!.data;
  if (result!.dims.join(',') !== refDims.join(',')) throw new Error(`engine gave shape [${result!.dims.join(', ')}], onnxruntime [${refDims.join(', ')}]`);
  let maxAbs = 0;
  let maxRef = 0;
  for (let i = 0; i < reference.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(engine[i]! - reference[i]!));
    maxRef = Math.max(maxRef, Math.abs(reference[i]!));
  }
  return { rel: maxAbs / Math.max(maxRef, 1e-30), maxAbs, engine, reference };
}
