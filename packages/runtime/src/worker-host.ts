/**
 * The worker side of the worker protocol (worker-protocol.ts), independent of onnxruntime so it runs
 * under test in Node: each model id gets its own slot whose requests run strictly one after another
 * in arrival order (load, then classifies, then dispose), so a dispose never releases a session
 * mid-run and a slow load can never be overtaken by its own classify. Slots are independent: a load
 * never touches another model, and a handle's requests reach only the session its own load made.
 * A disposed or failed slot is dropped, so later requests to it are a ModelDisposedError.
 */
import { ModelDisposedError } from './errors.js';
import { serializeError, type WorkerLoadOptions, type WorkerRequest, type WorkerResponse } from './worker-protocol.js';
import type { Model, ProgressCallback, RgbImage } from './types.js';

/** Where requests arrive and answers go: a worker's global scope, or a MessagePort under test. */
export interface MessageScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse, transfer?: Transferable[]): void;
}

/** How the host loads a model (the browser entry's loadModel in a real worker). */
export type ModelLoader = (source: string | ArrayBuffer, options: WorkerLoadOptions & { readonly onProgress: ProgressCallback }) => Promise<Model<RgbImage>>;

interface Slot {
  /** The end of this model's request chain; each request starts when the previous one settled. */
  tail: Promise<void>;
  model: Model<RgbImage> | undefined;
  state: 'loading' | 'ready' | 'gone';
  /** Why a gone slot is gone, for the ModelDisposedError of requests queued behind it. */
  why: string;
}

function isRequest(m: unknown): m is WorkerRequest {
  const r = m as Partial<WorkerRequest> | null;
  return typeof r === 'object' && r !== null && Number.isInteger(r.id) && Number.isInteger(r.modelId) && (r.type === 'load' || r.type === 'classify' || r.type === 'dispose');
}

/**
 * Answers worker-protocol requests arriving at `scope` with models made by `load`.
 * @returns the number of live (loading or loaded) models, for tests and diagnostics.
 */
export function serveModels(scope: MessageScope, load: ModelLoader): { liveModels(): number } {
  const slots = new Map<number, Slot>();
  const post = (m: WorkerResponse): void => scope.postMessage(m);
  const gone = (modelId: number, why: string): ModelDisposedError => new ModelDisposedError(`Model ${modelId} ${why} in this worker; load the model again to get a live handle.`, modelId);

  async function run(slot: Slot, request: WorkerRequest): Promise<unknown> {
    const { modelId } = request;
    if (request.type === 'load') {
      try {
        slot.model = await load(request.source, { ...request.options, onProgress: (received, total) => post({ id: request.id, modelId, type: 'progress', received, total }) });
      } catch (e) {
        slot.state = 'gone';
        slot.why = 'is not loaded (its load failed)';
        slots.delete(modelId);
        throw e;
      }
      slot.state = 'ready';
      return slot.model.info;
    }
    if (request.type === 'dispose') {
      const model = slot.model;
      slot.model = undefined;
      slot.state = 'gone';
      slot.why = 'was disposed';
      slots.delete(modelId);
      await model?.dispose();
      return null;
    }
    if (slot.state !== 'ready' || !slot.model) throw gone(modelId, slot.why);
    return slot.model.classifyBatch(request.images, request.topK === undefined ? {} : { topK: request.topK });
  }

  scope.onmessage = (event) => {
    const request: unknown = event.data;
    if (!isRequest(request)) {
      const r = request as { id?: unknown; modelId?: unknown } | null;
      const id = typeof r?.id === 'number' ? r.id : -1;
      const modelId = typeof r?.modelId === 'number' ? r.modelId : -1;
      post({ id, modelId, type: 'error', error: serializeError(new TypeError(`The worker got a message that is not a load, classify or dispose request with integer id and modelId: ${JSON.stringify(request)?.slice(0, 200)}.`)) });
      return;
    }
    const { id, modelId } = request;
    let slot = slots.get(modelId);
    if (request.type === 'load') {
      if (slot) {
        post({ id, modelId, type: 'error', error: serializeError(new RangeError(`Model id ${modelId} is already in use in this worker; each load needs a new model id.`)) });
        return;
      }
      slot = { tail: Promise.resolve(), model: undefined, state: 'loading', why: 'is still loading' };
      slots.set(modelId, slot);
    } else if (!slot) {
      // dispose is idempotent; anything else on a model this worker does not hold is a stale handle.
      if (request.type === 'dispose') post({ id, modelId, type: 'result', value: null });
      else post({ id, modelId, type: 'error', error: serializeError(gone(modelId, 'is not loaded (it was disposed, or its load failed)')) });
      return;
    }
    const s = slot;
    s.tail = s.tail.then(() => run(s, request)).then(
      (value) => post({ id, modelId, type: 'result', value }),
      (e: unknown) => post({ id, modelId, type: 'error', error: serializeError(e) }),
    );
  };
  return { liveModels: () => slots.size };
}
