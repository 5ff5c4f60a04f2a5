/**
 * A loaded model as the caller sees it: images in, ranked classes out. Images become pixels (the
 * entry's backend), are fitted to the input size, preprocessed into one NCHW batch, run, and each
 * row of logits is softmaxed and ranked. Batches are cut at MAX_BATCH images to bound memory.
 */
import { ModelError } from '@onebit/core';
import { fitImage } from './pixels.js';
import { preprocessTables, toPlanar, type PreprocessParams } from './preprocess.js';
import { rankClasses, softmax } from './ranking.js';
import type { Backend, Session } from './session.js';
import type { Classification, ClassifyOptions, Model, ModelInfo } from './types.js';

export const MAX_BATCH = 32;
const DEFAULT_TOP_K = 5;

export function createModel<I>(session: Session, backend: Backend<I>, info: ModelInfo, preprocess: PreprocessParams, resize: 'resize' | 'error'): Model<I> {
  const [channels, height, width] = info.inputShape;
  const tables = preprocessTables(preprocess, channels);
  const plane = channels * height * width;

  async function runBatch(images: readonly I[], k: number): Promise<Classification[][]> {
    const pixels = await Promise.all(images.map((image) => backend.toPixels(image)));
    const input = new Float32Array(images.length * plane);
    pixels.forEach((p, i) => {
      const fitted = fitImage(p, channels, width, height, resize);
      toPlanar(fitted.data, width, height, fitted.stride, tables, input, i * plane);
    });
    const logits = await session.run(input, [images.length, channels, height, width]);
    if (logits.length !== images.length * info.numClasses) {
      throw new ModelError(`Output "${info.outputName}" has ${logits.length} values for ${images.length} images of ${info.numClasses} classes.`, info.outputName);
    }
    return images.map((_, i) => rankClasses(softmax(logits, i * info.numClasses, info.numClasses), info.labels, k));
  }

  async function classifyBatch(images: readonly I[], options: ClassifyOptions = {}): Promise<Classification[][]> {
    const k = options.topK ?? DEFAULT_TOP_K;
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`topK ${k} is not a positive integer.`);
    const out: Classification[][] = [];
    for (let i = 0; i < images.length; i += MAX_BATCH) out.push(...(await runBatch(images.slice(i, i + MAX_BATCH), k)));
    return out;
  }

  return {
    info,
    classifyBatch,
    async classify(image, options) {
      return (await classifyBatch([image], options))[0]!;
    },
    dispose: () => session.release(),
  };
}
