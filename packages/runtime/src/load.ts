/**
 * loadModel's flow, shared by both entries: get the bytes (from the caller, a local file, the
 * content-hash cache, or a streamed fetch), check they are a usable ONNX image classifier, create
 * the entry's inference session, then store URL downloads in the cache. The entry supplies the
 * backend, the cache and how a non-URL source is read.
 */
import { DEFAULT_MAX_IMAGE_PIXELS, describeWrongFile, sentenceCase } from '@onebit/core';
import { sha256Hex, type ModelCache } from './content-hash.js';
import { containerToOnnxBytes, isContainer } from './container-source.js';
import { ENGINE_BACKEND_NAME, engineSession } from './engine-session.js';
import { MissingDependencyError, ModelLoadError } from './errors.js';
import { createModel } from './model.js';
import { readOnnxFacts, type OnnxFacts } from './onnx-facts.js';
import { preprocessNames, preprocessPreset } from './preprocess.js';

import { fetchBytes } from './read-stream.js';
import type { Backend } from './session.js';
import type { LoadOptions, Model, ModelInfo, ProgressCallback } from './types.js';

/** A URL, a path (Node), or the model bytes themselves. */
export type ModelSource = string | URL | Uint8Array | ArrayBuffer;

export interface Platform<I> {
  readonly backend: Backend<I>;
  readonly cache: ModelCache | undefined;
  /** The absolute URL to fetch for `source`, or undefined when it is a local path. */
  urlOf(source: string | URL): string | undefined;
  /** Reads a local path with progress (Node only). */
  readLocal(path: string, onProgress?: ProgressCallback): Promise<Uint8Array>;
}

interface Fetched { bytes: Uint8Array; downloaded: number; fromCache: boolean; url?: string; hash?: string }

async function fromCache(cache: ModelCache, url: string): Promise<Fetched | undefined> {
  try {
    const hash = await cache.hashOf(url);
    const bytes = hash ? await cache.get(hash) : undefined;
    // A cached copy that no longer hashes to its key is ignored and fetched again.
    if (hash && bytes && (await sha256Hex(bytes)) === hash) return { bytes, downloaded: 0, fromCache: true, url, hash };
  } catch {
    // The cache is an optimisation: an unreadable cache means a fetch, never a failed load.
  }
  return undefined;
}

async function obtain<I>(platform: Platform<I>, source: ModelSource, options: LoadOptions): Promise<Fetched> {
  if (source instanceof Uint8Array) return { bytes: source, downloaded: 0, fromCache: false };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), downloaded: 0, fromCache: false };
  if (typeof source !== 'string' && !(source instanceof URL)) throw new TypeError(`loadModel takes a URL, a path or bytes, not ${Object.prototype.toString.call(source)}.`);
  const url = platform.urlOf(source);
  if (url === undefined) {
    const bytes = await platform.readLocal(String(source), options.onProgress);
    return { bytes, downloaded: bytes.length, fromCache: false };
  }
  const cache = options.cache === false ? undefined : platform.cache;
  if (cache && options.cache !== 'reload') {
    const hit = await fromCache(cache, url);
    if (hit) {
      options.onProgress?.(hit.bytes.length, hit.bytes.length);
      return hit;
    }
  }
  const bytes = await fetchBytes(url, options.onProgress);
  return { bytes, downloaded: bytes.length, fromCache: false, url };
}

/** Throws ModelLoadError unless `bytes` looks like an ONNX model; returns its facts. */
export function inspectModelBytes(bytes: Uint8Array, name: string): OnnxFacts {
  const wrong = describeWrongFile(bytes, name);
  if (wrong) throw new ModelLoadError(sentenceCase(wrong));
  try {
    return readOnnxFacts(bytes);
  } catch (e) {
    if (e instanceof ModelLoadError) throw new ModelLoadError(`${name} is not a readable ONNX model: ${e.message}`, undefined, { cause: e });
    throw e;
  }
}

function imageShape(facts: OnnxFacts, name: string): { input: string; output: string; shape: [number, number, number]; classes: number } {
  const [input, ...moreInputs] = facts.inputs;
  const [output] = facts.outputs;
  if (!input || moreInputs.length > 0 || !output) {
    throw new ModelLoadError(`${name} has inputs [${facts.inputs.map((i) => i.name).join(', ')}] and outputs [${facts.outputs.map((o) => o.name).join(', ')}]; an image classifier needs one input and an output.`);
  }
  const [, c, h, w] = input.dims;
  if (input.dims.length !== 4 || !(c! > 0 && h! > 0 && w! > 0)) {
    throw new ModelLoadError(`${name}'s input "${input.name}" has shape [${input.dims.join(', ')}]; the runtime needs [N, C, H, W] with fixed C, H and W.`);
  }
  const classes = output.dims[output.dims.length - 1]!;
  if (!(classes > 0)) throw new ModelLoadError(`${name}'s output "${output.name}" has shape [${output.dims.join(', ')}]; the runtime needs a fixed class count last.`);
  return { input: input.name, output: output.name, shape: [c!, h!, w!], classes };
}

function describeSource(source: ModelSource): string {
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return `The ${source.byteLength}-byte model`;
  return `The model ${String(source)}`;
}

export async function loadWith<I>(platform: Platform<I>, source: ModelSource, options: LoadOptions = {}): Promise<Model<I>> {
  const start = performance.now();
  const name = describeSource(source);
  const got = await obtain(platform, source, options);
  // A .onebit container is the smaller download; it becomes the same packed ONNX in memory.
  const onnx = isContainer(got.bytes) ? await containerToOnnxBytes(got.bytes, name) : got.bytes;
  const facts = inspectModelBytes(onnx, name);
  const { input, output, shape, classes } = imageShape(facts, name);
  const labels = options.labels ?? Array.from({ length: classes }, (_, i) => `class ${i}`);
  if (labels.length !== classes) throw new RangeError(`${labels.length} labels were given for a model with ${classes} classes.`);
  const preprocessName = options.preprocess ?? facts.metadata['onebit.preprocess'];
  if (preprocessName === undefined) throw new RangeError(`${name} has no onebit.preprocess metadata; pass the preprocess option (${preprocessNames().map((n) => `'${n}'`).join(', ')} or parameters).`);
  const preprocess = preprocessPreset(preprocessName);
  if (preprocess.crop !== undefined && (preprocess.crop !== shape[1] || preprocess.crop !== shape[2])) {
    const why = `preprocessing "${preprocess.name}" crops ${preprocess.crop}×${preprocess.crop} but ${name.charAt(0).toLowerCase()}${name.slice(1)} takes ${shape[2]}×${shape[1]} inputs`;
    if (options.preprocess !== undefined) throw new RangeError(`The preprocess option does not fit: ${why}.`);
    throw new ModelLoadError(`The model's onebit.preprocess metadata does not fit: ${why}.`);
  }
  const maxImagePixels = options.maxImagePixels ?? DEFAULT_MAX_IMAGE_PIXELS;
  if (!Number.isInteger(maxImagePixels) || maxImagePixels < 1) throw new RangeError(`maxImagePixels must be a positive integer, got ${maxImagePixels}.`);

  const sessionStart = performance.now();
  const choice = options.backend ?? 'auto';
  let session;
  let backendName: string | undefined;
  let bytesInMemory = facts.binaryWeights * 4 + facts.floatInitializerBytes;
  if (choice !== 'onnxruntime') {
    let engine;
    try {
      engine = engineSession(onnx, choice);
    } catch (e) {
      const first = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
      throw new ModelLoadError(`${ENGINE_BACKEND_NAME} could not load ${name.replace(/^The\s/, 'the ')} (${got.bytes.length} bytes): ${first}`, undefined, { cause: e });
    }
    if (engine) {
      session = engine.session;
      backendName = ENGINE_BACKEND_NAME;
      bytesInMemory = engine.wasmMemoryBytes;
    }
  }
  if (!session) {
    try {
      session = await platform.backend.createSession(onnx, options.threads);
    } catch (e) {
      if (e instanceof MissingDependencyError) throw e;
      const first = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
      throw new ModelLoadError(`${platform.backend.name} could not load ${name.replace(/^The\s/, 'the ')} (${got.bytes.length} bytes): ${first}`, undefined, { cause: e });
    }
  }
  const sessionMs = performance.now() - sessionStart;
  const hash = got.hash ?? (await sha256Hex(got.bytes));
  const cache = options.cache === false ? undefined : platform.cache;
  if (cache && got.url && !got.fromCache) {
    try {
      await cache.put(hash, got.bytes);
      await cache.remember(got.url, hash);
    } catch {
      // A full or read-only cache leaves the model loaded, just not cached.
    }
  }
  const info: ModelInfo = {
    sha256: hash,
    bytesDownloaded: got.downloaded,
    modelBytes: got.bytes.length,
    bytesInMemory,
    weights: facts.binaryWeights,
    bitsPerWeight: facts.binaryWeights > 0 ? (got.bytes.length * 8) / facts.binaryWeights : Number.NaN,
    loadTimeMs: performance.now() - start,
    sessionMs,
    fromCache: got.fromCache,
    inputName: input,
    outputName: output,
    inputShape: shape,
    numClasses: classes,
    labels: [...labels],
    preprocess: preprocess.name,
    backend: backendName ?? platform.backend.name,
    metadata: facts.metadata,
  };
  return createModel(session, platform.backend, info, preprocess, options.resize ?? 'resize', maxImagePixels);
}
