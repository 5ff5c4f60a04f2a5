/**
 * Streams model bytes with progress: a web ReadableStream (fetch bodies, in Node and browsers) is
 * read chunk by chunk into one buffer, reporting bytes received and the total when known. Fetch
 * failures become FetchError naming the URL and status.
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

/** GETs `url` and returns its body, streamed with progress. */
export async function fetchBytes(url: string, onProgress?: ProgressCallback, fetchImpl: typeof fetch = fetch): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (cause) {
    throw new FetchError(`Fetching the model from ${url} failed: ${cause instanceof Error ? cause.message : String(cause)}.`, url, undefined, { cause });
  }
  if (!response.ok) throw new FetchError(`Fetching the model from ${url} failed with HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`, url, response.status);
  // Content-Length is the encoded size; with Content-Encoding it is not the byte count we receive.
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 && !response.headers.get('content-encoding') ? length : undefined;
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.(bytes.length, bytes.length);
    return bytes;
  }
  try {
    return await readStream(response.body, total, onProgress);
  } catch (cause) {
    throw new FetchError(`Reading the model from ${url} failed mid-stream: ${cause instanceof Error ? cause.message : String(cause)}.`, url, response.status, { cause });
  }
}
