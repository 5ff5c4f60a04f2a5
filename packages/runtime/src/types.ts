/**
 * The public shapes of @onebit/runtime, the same for the Node and browser entries: what loadModel
 * takes, what a loaded model offers, and what classify returns. Plain data only, so everything here
 * crosses a worker boundary unchanged.
 */
import type { CacheLimits } from './model-cache.js';
import type { PreprocessSpec } from './preprocess.js';

/** One ranked class. */
export interface Classification {
  readonly index: number;
  readonly label: string;
  /** Softmax probability of the class over all classes, 0..1. */
  readonly probability: number;
}

/** Raw pixels, rows top to bottom, channels interleaved (grey, RGB or RGBA; alpha is ignored). */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
  /** 1, 3 or 4; inferred from data.length when absent. */
  readonly channels?: number;
}

/** Bytes received so far and the total when the server or file says it. */
export type ProgressCallback = (received: number, total: number | undefined) => void;

export interface LoadOptions {
  /** Class names in output order; defaults to "class 0", "class 1", … */
  readonly labels?: readonly string[];
  /** Pixel preprocessing; defaults to the model's `onebit.preprocess` metadata. */
  readonly preprocess?: PreprocessSpec;
  /** Called as model bytes arrive (network or disk). */
  readonly onProgress?: ProgressCallback;
  /**
   * Use the model cache for URL loads (default true): a cached copy is revalidated with the server
   * (If-None-Match / If-Modified-Since; a 304 serves it, a 200 replaces it), and served unchecked
   * only when the server cannot be reached. `'reload'` fetches again unconditionally and refreshes it.
   */
  readonly cache?: boolean | 'reload';
  /**
   * SHA-256 (64 hex digits) the model bytes must have, checked before they are used; a mismatch is a
   * ModelIntegrityError. A cached copy with this hash is used without asking the server.
   */
  readonly expectedSha256?: string;
  /** Bounds on the model cache, applied after each download (default 8 URLs, 1 GiB); see model-cache.ts. */
  readonly cacheLimits?: CacheLimits;
  /**
   * Which runtime runs the model: `'auto'` (default) the onebit engine (@onebit/engine, packed
   * weights kept at one bit) when it supports every op of the model, else onnxruntime; `'engine'`
   * or `'onnxruntime'` force one (forcing the engine on a model it cannot run is a ModelLoadError).
   */
  readonly backend?: 'auto' | 'engine' | 'onnxruntime';
  /** Intra-op threads for the inference session (Node default 2; browser default depends on isolation). */
  readonly threads?: number;
  /**
   * For a preprocessing without its own geometry (the CIFAR presets), what to do with an image of
   * another size than the model's input: `'resize'` (default) stretches it with Pillow's bilinear
   * filter (@onebit/core resizeBilinearPillow); `'error'` throws InputSizeError. Presets with geometry
   * (`imagenet`: shorter side → 256, centre crop 224) always apply it.
   */
  readonly resize?: 'resize' | 'error';
  /** Refuse images of more pixels than this with LimitError (default 4096 × 4096). */
  readonly maxImagePixels?: number;
}

export interface ClassifyOptions {
  /** How many classes to return, best first (default 5, at most the class count). */
  readonly topK?: number;
}

/** Facts about a loaded model, for size panels and logs. */
export interface ModelInfo {
  /** SHA-256 of the model bytes, lower-case hex; the cache key. */
  readonly sha256: string;
  /** Bytes that came over the network or from disk for this load (0 when served from the cache). */
  readonly bytesDownloaded: number;
  /** Size of the model file. */
  readonly modelBytes: number;
  /**
   * With the onebit engine: its measured WebAssembly memory (weights at one bit, activations,
   * scratch). With onnxruntime: the estimated bytes of weights it holds after constant-folding the
   * decode subgraph: 4 per binary weight (decoded to float32) plus every float initializer that is
   * not the shared bit table.
   */
  readonly bytesInMemory: number;
  /** Binary weights in the model (exact from each `<w>.shape`, else `<w>.bits` bytes × 8); 0 if none. */
  readonly weights: number;
  /** Model file bits per binary weight (file bytes × 8 / weights); NaN without binary weights. */
  readonly bitsPerWeight: number;
  /** Wall time from loadModel's call to a ready session, ms. */
  readonly loadTimeMs: number;
  /** Session creation alone, ms (includes onnxruntime's constant folding). */
  readonly sessionMs: number;
  readonly fromCache: boolean;
  /**
   * How the model cache served the load: `off` (no cache, a path or bytes), `miss` (downloaded),
   * `not-modified` (the server answered 304), `pinned` (a cached copy with the expectedSha256, no
   * request), `offline` (the server could not be reached; the cached copy was not revalidated).
   */
  readonly cacheResult: 'off' | 'miss' | 'not-modified' | 'pinned' | 'offline';
  readonly inputName: string;
  readonly outputName: string;
  /** [channels, height, width] the model wants. */
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  readonly labels: readonly string[];
  readonly preprocess: string;
  /** `onebit engine (WebAssembly SIMD, 1 thread)` (or `2 threads`, …), `onnxruntime-node 1.30.0` or `onnxruntime-web 1.30.0 wasm`. */
  readonly backend: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** A loaded model; `I` is the image types the entry accepts. */
export interface Model<I> {
  readonly info: ModelInfo;
  /** The top-k classes of one image, best first. */
  classify(image: I, options?: ClassifyOptions): Promise<Classification[]>;
  /** The top-k classes of each image, in input order; runs batches of up to 32 images. */
  classifyBatch(images: readonly I[], options?: ClassifyOptions): Promise<Classification[][]>;
  /** Releases the inference session. */
  dispose(): Promise<void>;
}
