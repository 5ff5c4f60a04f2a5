/**
 * A loaded model as the caller sees it: images in, ranked classes out. Images become pixels (the
 * entry's backend), are preprocessed with @onebit/core's shared pipeline into one NCHW batch, run, and each
 * row of logits is softmaxed and ranked. Batches are cut at MAX_BATCH images to bound memory.
 * dispose waits for the runs in flight, then releases the session once; classify after dispose is a
 * ModelDisposedError, never a run on a released session.
 */
import { ModelError, pixelTables, type PreprocessPreset } from '@onebit/core';
import { ModelDisposedError } from './errors.js';
import { prepareInput } from './prepare-input.js';
import { rankClasses, softmax } from './ranking.js';
import type { Backend, Session } from './session.js';
import type { Classification, ClassifyOptions, Model, ModelInfo } from './types.js';

export const MAX_BATCH = 32;
const DEFAULT_TOP_K = 5;

export function createModel<I>(session: Session, backend: Backend<I>, info: ModelInfo, preprocess: PreprocessPreset, resize: 'resize' | 'error', maxImagePixels: number): Model<I> {
  const [channels, height, width] = info.inputShape;
  pixelTables(preprocess, channels, 'the model inputs'); // a preset that does not fit the channel count fails at load, not at the first image
  const plane = channels * height * width;

  async function runBatch(images: readonly I[], k: number): Promise<Classification[][]> {
    const input = new Float32Array(images.length * plane);
    // One image decoded at a time, so a batch holds at most one full-size decoded image.
    for (let i = 0; i < images.length; i++) prepareInput(await backend.toPixels(images[i]!, maxImagePixels), preprocess, info.inputShape, resize, input, i * plane);
    const logits = await session.run(input, [images.length, channels, height, width]);
    if (logits.length !== images.length * info.numClasses) {
      throw new ModelError(`Output "${info.outputName}" has ${logits.length} values for ${images.length} images of ${info.numClasses} classes.`, info.outputName);
    }
    return images.map((_, i) => rankClasses(softmax(logits, i * info.numClasses, info.numClasses), info.labels, k));
  }

  async function classifyBatch(images: readonly I[], options: ClassifyOptions = {}): Promise<Classification[][]> {
    const k = options.topK ?? DEFAULT_TOP_K;
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`topK ${k} is not a positive integer.`);
    if (released) throw new ModelDisposedError(`The model ${info.sha256.slice(0, 12)}… was disposed; load it again to classify with it.`);
    const run = (async () => {
      const out: Classification[][] = [];
      for (let i = 0; i < images.length; i += MAX_BATCH) out.push(...(await runBatch(images.slice(i, i + MAX_BATCH), k)));
      return out;
    })();
    inFlight.add(run);
    try {
      return await run;
    } finally {
      inFlight.delete(run);
    }
  }

  /** Runs started and not yet settled; dispose waits for them. */
  const inFlight = new Set<Promise<unknown>>();
  let released: Promise<void> | undefined;

  return {
    info,
    classifyBatch,
    async classify(image, options) {
      return (await classifyBatch([image], options))[0]!;
    },
    dispose: () =>
      (released ??= (async () => {
        await Promise.allSettled([...inFlight]);
        await session.release();
      })()),
  };
}
