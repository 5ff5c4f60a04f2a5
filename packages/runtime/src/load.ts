/**
 * loadModel's flow, shared by both entries: get the bytes (model-bytes.ts: from the caller, a local
 * file, or a URL through the revalidating cache), check they are a usable ONNX image classifier, create
 * the entry's inference session, then store URL downloads in the cache. The entry supplies the
 * backend, the cache and how a non-URL source is read.
 */
import { DEFAULT_MAX_IMAGE_PIXELS, describeWrongFile, sentenceCase, UsageError } from '@onebit/core';
import { containerToOnnxBytes, isContainer } from './container-source.js';
import { engineBackendName, engineSession } from './engine-session.js';
import { MissingDependencyError, ModelLoadError } from './errors.js';
import { createModel } from './model.js';
import { obtainModelBytes, type BytesPlatform, type ModelSource } from './model-bytes.js';
import { readOnnxFacts, type OnnxFacts } from './onnx-facts.js';
import { preprocessNames, preprocessPreset } from './preprocess.js';

import type { Backend } from './session.js';
import type { LoadOptions, Model, ModelInfo } from './types.js';

export type { ModelSource } from './model-bytes.js';

export interface Platform<I> extends BytesPlatform {
  readonly backend: Backend<I>;
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
  const got = await obtainModelBytes(platform, source, name, options);
  // A .onebit container is the smaller download; it becomes the same packed ONNX in memory.
  const onnx = isContainer(got.bytes) ? await containerToOnnxBytes(got.bytes, name) : got.bytes;
  const facts = inspectModelBytes(onnx, name);
  const { input, output, shape, classes } = imageShape(facts, name);
  const labels = options.labels ?? Array.from({ length: classes }, (_, i) => `class ${i}`);
  if (labels.length !== classes) throw new UsageError(`${labels.length} labels were given for a model with ${classes} classes.`);
  const preprocessName = options.preprocess ?? facts.metadata['onebit.preprocess'];
  if (preprocessName === undefined) throw new UsageError(`${name} has no onebit.preprocess metadata; pass the preprocess option (${preprocessNames().map((n) => `'${n}'`).join(', ')} or parameters).`);
  // A name from the caller is their mistake (UsageError); one recorded in the file is bad data.
  if (options.preprocess === undefined && typeof preprocessName === 'string' && !preprocessNames().includes(preprocessName)) {
    throw new ModelLoadError(`${name} records onebit.preprocess "${preprocessName}", which this version of onebit does not know (known: ${preprocessNames().join(', ')}); pass the preprocess option, or re-convert the model with a known --preprocess.`);
  }
  const preprocess = preprocessPreset(preprocessName);
  if (preprocess.crop !== undefined && (preprocess.crop !== shape[1] || preprocess.crop !== shape[2])) {
    const why = `preprocessing "${preprocess.name}" crops ${preprocess.crop}×${preprocess.crop} but ${name.charAt(0).toLowerCase()}${name.slice(1)} takes ${shape[2]}×${shape[1]} inputs`;
    if (options.preprocess !== undefined) throw new UsageError(`The preprocess option does not fit: ${why}.`);
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
    const threads = platform.backend.engineThreads?.(options.threads);
    let engine;
    try {
      engine = await engineSession(onnx, choice, threads);
    } catch (e) {
      const first = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
      throw new ModelLoadError(`${engineBackendName(threads && threads.count > 1 ? threads.count : 1)} could not load ${name.replace(/^The\s/, 'the ')} (${got.bytes.length} bytes): ${first}`, undefined, { cause: e });
    }
    if (engine) {
      session = engine.session;
      backendName = engineBackendName(engine.threads);
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
  await got.commit();
  const info: ModelInfo = {
    sha256: got.hash,
    bytesDownloaded: got.downloaded,
    modelBytes: got.bytes.length,
    bytesInMemory,
    weights: facts.binaryWeights,
    bitsPerWeight: facts.binaryWeights > 0 ? (got.bytes.length * 8) / facts.binaryWeights : Number.NaN,
    loadTimeMs: performance.now() - start,
    sessionMs,
    fromCache: got.downloaded === 0 && got.cacheResult !== 'off',
    cacheResult: got.cacheResult,
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
