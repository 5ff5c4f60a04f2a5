/**
 * The messages between createWorkerClassifier (page) and worker.ts (worker). Every request carries
 * an id; the worker answers it with progress messages (loads only), then one result or error.
 * Errors travel as name + message + fields and are rebuilt as the same runtime error class.
 */
import { LimitError, OnebitError } from '@onebit/core';
import { FetchError, ImageDecodeError, InputSizeError, MissingDependencyError, ModelLoadError } from './errors.js';
import type { LoadOptions, RgbImage } from './types.js';

/** loadModel options that survive structured cloning (no onProgress function). */
export type WorkerLoadOptions = Omit<LoadOptions, 'onProgress'> & { readonly wasmPaths?: string };

export type WorkerRequest =
  | { readonly id: number; readonly type: 'load'; readonly source: string | ArrayBuffer; readonly options: WorkerLoadOptions }
  | { readonly id: number; readonly type: 'classify'; readonly images: readonly RgbImage[]; readonly topK?: number }
  | { readonly id: number; readonly type: 'dispose' };

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly url?: string;
  readonly status?: number;
  readonly width?: number;
  readonly height?: number;
  readonly channels?: number;
  readonly dependency?: string;
}

export type WorkerResponse =
  | { readonly id: number; readonly type: 'progress'; readonly received: number; readonly total: number | undefined }
  | { readonly id: number; readonly type: 'result'; readonly value: unknown }
  | { readonly id: number; readonly type: 'error'; readonly error: SerializedError };

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const fields = e as Partial<FetchError & InputSizeError & MissingDependencyError>;
  return { name: e.name, message: e.message, url: fields.url, status: fields.status, width: fields.width, height: fields.height, channels: fields.channels, dependency: fields.dependency };
}

/** The error class named by `s`, rebuilt on this side of the worker boundary. */
export function deserializeError(s: SerializedError): Error {
  switch (s.name) {
    case 'ModelLoadError': return new ModelLoadError(s.message);
    case 'InputSizeError': return new InputSizeError(s.message, s.width ?? 0, s.height ?? 0, s.channels ?? 0);
    case 'FetchError': return new FetchError(s.message, s.url ?? '', s.status);
    case 'ImageDecodeError': return new ImageDecodeError(s.message.replace(/^image: /, ''));
    case 'MissingDependencyError': return new MissingDependencyError(s.message, s.dependency ?? '');
    case 'LimitError': return new LimitError(s.message);
    case 'TypeError': return new TypeError(s.message);
    case 'RangeError': return new RangeError(s.message);
    default: {
      const e = new OnebitError(s.message);
      e.name = s.name;
      return e;
    }
  }
}
