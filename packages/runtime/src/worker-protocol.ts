/**
 * The messages between createWorkerClassifier (page) and serveModels (worker). Every message
 * carries a request `id` and the `modelId` of the model it concerns: the page allocates a fresh
 * model id for each load, so a request made through one handle can only ever reach the session that
 * load created. The worker answers each request with progress messages (loads only), then one result
 * or error. Errors travel as name + message + fields and are rebuilt as the same error class.
 */
import { FormatError, LimitError, ModelError, OnebitError, UnsupportedError, UsageError, WrongFileError } from '@onebit/core';
import { FetchError, ImageDecodeError, InputSizeError, MissingDependencyError, ModelDisposedError, ModelIntegrityError, ModelLoadError } from './errors.js';
import type { LoadOptions, RgbImage } from './types.js';

/** loadModel options that survive structured cloning (no onProgress function). */
export type WorkerLoadOptions = Omit<LoadOptions, 'onProgress'> & { readonly wasmPaths?: string };

export type WorkerRequest =
  | { readonly id: number; readonly modelId: number; readonly type: 'load'; readonly source: string | ArrayBuffer; readonly options: WorkerLoadOptions }
  | { readonly id: number; readonly modelId: number; readonly type: 'classify'; readonly images: readonly RgbImage[]; readonly topK?: number }
  | { readonly id: number; readonly modelId: number; readonly type: 'dispose' };

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly url?: string;
  readonly status?: number;
  readonly width?: number;
  readonly height?: number;
  readonly channels?: number;
  readonly dependency?: string;
  readonly modelId?: number;
  readonly tensorName?: string;
  readonly offset?: number;
  readonly expected?: string;
  readonly actual?: string;
}

export type WorkerResponse =
  | { readonly id: number; readonly modelId: number; readonly type: 'progress'; readonly received: number; readonly total: number | undefined }
  | { readonly id: number; readonly modelId: number; readonly type: 'result'; readonly value: unknown }
  | { readonly id: number; readonly modelId: number; readonly type: 'error'; readonly error: SerializedError };

/** `e` as plain data: its class name, message and the typed fields the error classes carry. */
export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const f = e as Partial<FetchError & InputSizeError & MissingDependencyError & ModelDisposedError & ModelError & FormatError & ModelIntegrityError>;
  const out: Record<string, unknown> = { name: e.name, message: e.message };
  for (const key of ['url', 'status', 'width', 'height', 'channels', 'dependency', 'modelId', 'tensorName', 'offset', 'expected', 'actual'] as const) {
    if (f[key] !== undefined) out[key] = f[key];
  }
  return out as unknown as SerializedError;
}

/** A FormatError's message is `<format>: <text>`; the rebuilt error must not prefix the format twice. */
function splitFormat(message: string): [string, string] {
  const at = message.indexOf(': ');
  return at > 0 ? [message.slice(0, at), message.slice(at + 2)] : ['data', message];
}

/** The error class named by `s`, rebuilt on this side of the worker boundary (OnebitError named `s.name` when the class is not one the runtime throws). */
export function deserializeError(s: SerializedError): Error {
  switch (s.name) {
    case 'ModelLoadError': return new ModelLoadError(s.message, s.tensorName);
    case 'ModelError': return new ModelError(s.message, s.tensorName);
    case 'InputSizeError': return new InputSizeError(s.message, s.width ?? 0, s.height ?? 0, s.channels ?? 0);
    case 'FetchError': return new FetchError(s.message, s.url ?? '', s.status);
    case 'ImageDecodeError': return new ImageDecodeError(s.message.replace(/^image: /, ''));
    case 'FormatError': {
      const [format, text] = splitFormat(s.message);
      return new FormatError(format, text, s.offset);
    }
    case 'MissingDependencyError': return new MissingDependencyError(s.message, s.dependency ?? '');
    case 'ModelIntegrityError': return new ModelIntegrityError(s.message, s.expected ?? '', s.actual ?? '');
    case 'ModelDisposedError': return new ModelDisposedError(s.message, s.modelId);
    case 'LimitError': return new LimitError(s.message);
    case 'UnsupportedError': return new UnsupportedError(s.message);
    case 'WrongFileError': return new WrongFileError(s.message);
    case 'UsageError': return new UsageError(s.message);
    case 'TypeError': return new TypeError(s.message);
    case 'RangeError': return new RangeError(s.message);
    default: {
      const e = new OnebitError(s.message);
      e.name = s.name;
      return e;
    }
  }
}
