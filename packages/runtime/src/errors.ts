/**
 * The runtime's typed errors, built on onebit's OnebitError family so callers can catch either the
 * specific class or the family. Messages are one sentence naming the bad value (a URL, a byte count,
 * an image size). Caller mistakes (a bad option) stay RangeError/TypeError.
 */
import { FormatError, ModelError, OnebitError } from '@onebit/core';

/** The bytes could not be loaded as a model: not ONNX, corrupt, or refused by onnxruntime. */
export class ModelLoadError extends ModelError {}

/** An image does not have the size or channel count the model needs and cannot be made to fit. */
export class InputSizeError extends ModelError {
  constructor(
    message: string,
    readonly width: number,
    readonly height: number,
    readonly channels: number,
  ) {
    super(message);
  }
}

/** Fetching a model over HTTP failed: a network error or a non-2xx status. */
export class FetchError extends OnebitError {
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Image bytes that are not a PNG/JPEG/WebP/GIF/TIFF the decoder can read. */
export class ImageDecodeError extends FormatError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('image', message, 0, options);
  }
}

/** An optional peer dependency this environment needs (onnxruntime-node, sharp, @onebit/convert) is not installed. */
export class MissingDependencyError extends OnebitError {
  constructor(
    message: string,
    readonly dependency: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The model bytes do not have the SHA-256 the caller pinned with `expectedSha256`. */
export class ModelIntegrityError extends ModelLoadError {
  constructor(
    message: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(message);
  }
}

/**
 * A model handle was used after its dispose() (or after its load failed): classify on it is refused
 * rather than run on whatever session the worker or backend holds now.
 */
export class ModelDisposedError extends OnebitError {
  constructor(
    message: string,
    readonly modelId?: number,
  ) {
    super(message);
  }
}

/** Names of the runtime's error classes, so a worker can rebuild the right class from a message. */
export const RUNTIME_ERROR_NAMES = ['ModelLoadError', 'InputSizeError', 'FetchError', 'ImageDecodeError', 'MissingDependencyError', 'ModelDisposedError', 'ModelIntegrityError'] as const;
