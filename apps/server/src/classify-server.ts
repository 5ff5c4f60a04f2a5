/**
 * The example HTTP service on node:http: `POST /classify` takes image bytes (PNG, JPEG, WebP, GIF,
 * TIFF, AVIF; any size, resized to the model's input) and answers the top-k classes as JSON;
 * `GET /healthz` answers while the process is alive, `GET /readyz` while it takes requests (model
 * loaded, queue not full, not stopping). Inference runs wherever the given Inference runs it (the
 * worker-thread pool of inference-pool.ts in main.ts), so the event loop only moves bytes and
 * /healthz answers at any load. Client mistakes get a 4xx with a one-sentence JSON error (400 bad
 * image or query, 404, 405, 413 too large, 415 not an image type); an overloaded service answers
 * 503 with Retry-After; a failure in one request never stops the service.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ImageDecodeError, InputSizeError, LimitError, type Classification, type ModelInfo } from '@onebit/runtime';
import { OverloadedError } from './inference-pool.js';
import { RASTER_FORMATS, sniffImageFormat } from './image-format.js';
import { BodyAbortedError, BodyTooLargeError, readBody } from './read-body.js';

export interface ServerOptions {
  /** Largest accepted body in bytes (default 5 MB). */
  readonly maxBytes?: number;
  /** Default number of classes returned (default 5); `?topK=` overrides per request. */
  readonly topK?: number;
  /** Time allowed for a request's headers, ms (default 10 s). */
  readonly headersTimeoutMs?: number;
  /** Time allowed for a whole request, headers and body, ms (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Open connections beyond this are refused (default 256). */
  readonly maxConnections?: number;
}

/**
 * What answers /classify: the worker-thread pool (inference-pool.ts), or a loaded model directly.
 * `saturated` (optional) says a new request would be refused now and when to retry.
 */
export interface Inference {
  readonly info: Pick<ModelInfo, 'numClasses' | 'sha256' | 'weights' | 'backend'>;
  classify(image: Uint8Array, options: { topK: number }): Promise<Classification[]>;
  saturated?(): { retryAfterS: number } | undefined;
  load?(): { queued: number; running: number; workers: number };
}

/** The service's server: node:http plus a graceful stop. */
export interface ClassifyServer extends Server {
  /**
   * Fails /readyz (503) from now on, stops accepting connections, lets requests in flight finish
   * (their responses close the connection), closes idle keep-alive connections at once and every
   * remaining one (stalled uploads) after `deadlineMs`; resolves when the server is closed.
   */
  shutdown(deadlineMs: number): Promise<void>;
}

export const DEFAULT_MAX_BYTES = 5_000_000;

/** How long the rest of an oversized body is discarded after the 413 before the connection is closed. */
const OVERSIZE_DRAIN_MS = 2_000;

/** Content types /classify accepts; a missing type is accepted too (the bytes are sniffed). */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/tiff', 'image/avif', 'application/octet-stream']);

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

const fail = (res: ServerResponse, status: number, message: string, headers?: Record<string, string>): void => send(res, status, { error: message }, headers);

export function createClassifyServer(model: Inference, options: ServerOptions = {}): ClassifyServer {
  let draining = false;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const defaultTopK = options.topK ?? 5;
  const started = Date.now();
  let served = 0;
  // How long the event loop was blocked (10 ms resolution): /healthz reports the worst delay since
  // its previous answer, so a probe or the bench can tell a blocked loop from a slow network or client.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  async function classify(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== '' && !IMAGE_TYPES.has(type)) {
      req.resume();
      return fail(res, 415, `Content-Type "${type}" is not an image type; send the image bytes as ${[...IMAGE_TYPES].join(', ')} or with no Content-Type.`);
    }
    const busy = model.saturated?.();
    if (busy) {
      req.resume();
      return fail(res, 503, `The service is at capacity (every worker busy and the queue full); retry in ${busy.retryAfterS} s.`, { 'retry-after': String(busy.retryAfterS) });
    }
    const topKParam = url.searchParams.get('topK');
    const topK = topKParam === null ? defaultTopK : Number(topKParam);
    if (!Number.isInteger(topK) || topK < 1 || topK > model.info.numClasses) {
      req.resume();
      return fail(res, 400, `topK "${topKParam}" is not a whole number from 1 to ${model.info.numClasses}.`);
    }
    const body = await readBody(req, maxBytes);
    if (body.length === 0) return fail(res, 400, 'The request body is empty; send the image bytes.');
    const format = sniffImageFormat(body);
    if (format === undefined) {
      const head = Array.from(body.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
      return fail(res, 415, `The ${body.length}-byte body starting ${head} is not a ${RASTER_FORMATS.join(', ')} image; send one of those.`);
    }
    // The pixel bound is checked by the inference worker from the image header before it decodes
    // (@onebit/image); nothing image-sized runs on this thread, so /healthz stays fast under a burst.
    const start = performance.now();
    const top = await model.classify(body, { topK });
    served++;
    send(res, 200, { top, ms: Math.round((performance.now() - start) * 10) / 10 });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, `${req.method} is not allowed on /healthz; use GET.`, { allow: 'GET, HEAD' });
      const { sha256, weights, backend } = model.info;
      const eventLoopDelayMaxMs = Math.round(loopDelay.max / 1e5) / 10; // ns → ms, one decimal
      loopDelay.reset();
      return send(res, 200, { status: 'ok', model: sha256, weights, backend, served, uptimeS: Math.round((Date.now() - started) / 1000), eventLoopDelayMaxMs });
    }
    if (url.pathname === '/readyz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, `${req.method} is not allowed on /readyz; use GET.`, { allow: 'GET, HEAD' });
      if (draining) return fail(res, 503, 'The service is shutting down; send requests to another instance.');
      const busy = model.saturated?.();
      if (busy) return fail(res, 503, `The service is at capacity (every worker busy and the queue full); retry in ${busy.retryAfterS} s.`, { 'retry-after': String(busy.retryAfterS) });
      return send(res, 200, { status: 'ready', ...(model.load ? model.load() : {}) });
    }
    if (url.pathname === '/classify') {
      if (req.method !== 'POST') {
        req.resume();
        return fail(res, 405, `${req.method} is not allowed on /classify; POST the image bytes.`, { allow: 'POST' });
      }
      return classify(req, res, url);
    }
    req.resume();
    return fail(res, 404, `There is no ${url.pathname}; use POST /classify, GET /healthz or GET /readyz.`);
  }

  const server = createServer({ headersTimeout: options.headersTimeoutMs ?? 10_000, requestTimeout: options.requestTimeoutMs ?? 30_000, keepAliveTimeout: 5_000 }, (req, res) => {
    if (draining) res.setHeader('connection', 'close');
    // Held here: by the time the response finishes, req.socket may already be detached.
    const socket = req.socket;
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent || e instanceof BodyAbortedError || socket.destroyed) return void res.destroy();
      if (e instanceof BodyTooLargeError) {
        // Answer, keep discarding the rest of the body for a short grace so a client still uploading
        // reads the 413 instead of a reset, then close the connection whatever the client does.
        const timer = setTimeout(() => socket.destroy(), OVERSIZE_DRAIN_MS).unref();
        socket.once('close', () => clearTimeout(timer));
        fail(res, 413, e.message, { connection: 'close' });
      } else if (e instanceof OverloadedError) {
        fail(res, 503, e.message, { 'retry-after': String(e.retryAfterS) });
      } else if (e instanceof LimitError) {
        // The runtime's advice (raise maxImagePixels) is for whoever runs the model, not for a client.
        fail(res, 413, e.message.replace(/; shrink it first or raise maxImagePixels\.$/, '; send a smaller image.'));
      } else if (e instanceof ImageDecodeError || e instanceof InputSizeError) {
        fail(res, 400, e.message);
      } else {
        fail(res, 500, `The server failed on this request: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  });
  server.maxConnections = options.maxConnections ?? 256;
  server.once('close', () => loopDelay.disable());
  return Object.assign(server, {
    shutdown(deadlineMs: number): Promise<void> {
      draining = true;
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), deadlineMs).unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  });
}
