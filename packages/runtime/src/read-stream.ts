/**
 * Streams model bytes with progress: a web ReadableStream (fetch bodies, in Node and browsers) is
 * read chunk by chunk into one buffer, reporting bytes received and the total when known. Fetch
 * failures become FetchError naming the URL and status. fetchModel makes the request conditional on a
 * cached copy's ETag / Last-Modified, so the model cache can revalidate.
 */
import { FetchError } from './errors.js';
import type { ProgressCallback } from './types.js';

/** Reads `body` to the end; `total` (e.g. Content-Length) presizes the buffer when it is right. */
export async function readStream(body: ReadableStream<Uint8Array>, total: number | undefined, onProgress?: ProgressCallback): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = body.getReader();
  onProgress?.(0, total);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onProgress?.(received, total);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** What a cached copy was served with, for a conditional request (RFC 9110 §13.1.1–13.1.3). */
export interface Validators {
  readonly etag?: string;
  readonly lastModified?: string;
}

/** A conditional GET's answer: 304 (the cached copy is current) or the body with its new validators. */
export type FetchedModel =
  | { readonly notModified: true }
  | { readonly notModified: false; readonly bytes: Uint8Array; readonly etag?: string; readonly lastModified?: string };

/**
 * GETs `url`, conditional on `validators` (If-None-Match / If-Modified-Since) when given, streaming
 * the body with progress.
 * @throws FetchError on a network failure, a non-2xx answer (304 only counts when validators were sent), or a broken stream.
 */
export async function fetchModel(url: string, validators: Validators | undefined, onProgress?: ProgressCallback, fetchImpl: typeof fetch = fetch): Promise<FetchedModel> {
  const headers: Record<string, string> = {};
  if (validators?.etag) headers['if-none-match'] = validators.etag;
  if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
  const conditional = Object.keys(headers).length > 0;
  let response: Response;
  try {
    response = await fetchImpl(url, conditional ? { headers } : undefined);
  } catch (cause) {
    throw new FetchError(`Fetching the model from ${url} failed: ${cause instanceof Error ? cause.message : String(cause)}.`, url, undefined, { cause });
  }
  if (conditional && response.status === 304) {
    await response.body?.cancel();
    return { notModified: true };
  }
  if (!response.ok) throw new FetchError(`Fetching the model from ${url} failed with HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`, url, response.status);
  const etag = response.headers.get('etag') ?? undefined;
  const lastModified = response.headers.get('last-modified') ?? undefined;
  const fresh = { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
  // Content-Length is the encoded size; with Content-Encoding it is not the byte count we receive.
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 && !response.headers.get('content-encoding') ? length : undefined;
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.(bytes.length, bytes.length);
    return { notModified: false, bytes, ...fresh };
  }
  try {
    return { notModified: false, bytes: await readStream(response.body, total, onProgress), ...fresh };
  } catch (cause) {
    throw new FetchError(`Reading the model from ${url} failed mid-stream: ${cause instanceof Error ? cause.message : String(cause)}.`, url, response.status, { cause });
  }
}

/** GETs `url` unconditionally and returns its body, streamed with progress. */
export async function fetchBytes(url: string, onProgress?: ProgressCallback, fetchImpl: typeof fetch = fetch): Promise<Uint8Array> {
  const got = await fetchModel(url, undefined, onProgress, fetchImpl);
  if (got.notModified) throw new FetchError(`Fetching the model from ${url} gave HTTP 304 to an unconditional request.`, url, 304);
  return got.bytes;
}
