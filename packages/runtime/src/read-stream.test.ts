/** Streaming reads: chunks joined in order with progress per chunk; fetch failures as FetchError. */
import { describe, expect, it } from 'vitest';
import { FetchError } from './errors.js';
import { fetchBytes, readStream } from './read-stream.js';

const streamOf = (...chunks: number[][]): ReadableStream<Uint8Array> =>
  new ReadableStream({
    start(c) {
      for (const chunk of chunks) c.enqueue(Uint8Array.from(chunk));
      c.close();
    },
  });

describe('readStream', () => {
  it('joins chunks and reports bytes received after each', async () => {
    const seen: [number, number | undefined][] = [];
    const bytes = await readStream(streamOf([1, 2], [3], [4, 5, 6]), 6, (r, t) => seen.push([r, t]));
    expect(Array.from(bytes)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen).toEqual([[0, 6], [2, 6], [3, 6], [6, 6]]);
  });
});

describe('fetchBytes', () => {
  it('ignores Content-Length when the body is content-encoded', async () => {
    let total: number | undefined = -1;
    const fake = (async () => new Response(streamOf([9, 9]), { headers: { 'content-length': '1', 'content-encoding': 'gzip' } })) as typeof fetch;
    await fetchBytes('http://x/m.onnx', (_, t) => (total = t), fake);
    expect(total).toBeUndefined();
  });

  it('EXPECTED FAILURE: a network error and a 500 are FetchErrors naming the URL', async () => {
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(fetchBytes('http://x/m.onnx', undefined, down)).rejects.toThrow(new FetchError('Fetching the model from http://x/m.onnx failed: fetch failed.', 'http://x/m.onnx'));
    const broken = (async () => new Response('oops', { status: 500, statusText: 'Internal Server Error' })) as typeof fetch;
    await expect(fetchBytes('http://x/m.onnx', undefined, broken)).rejects.toMatchObject({ name: 'FetchError', status: 500, message: 'Fetching the model from http://x/m.onnx failed with HTTP 500 Internal Server Error.' });
  });
});
