/**
 * No request body can crash the service: each kind of bad body, sent chunked and with a
 * Content-Length, gets its 4xx (or a closed connection when the client itself hung up) and the
 * next good request is still answered. Uses a stub model so only the HTTP handling is exercised.
 */
import { connect } from 'node:net';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NodeModel } from '@onebit/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClassifyServer } from './classify-server.js';

const LIMIT = 100_000;
let server: Server;
let port: number;
const received: number[] = [];
/** Enough of a PNG to pass the signature check; the stub model does not decode it. */
const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const pngOf = (n: number): Uint8Array => { const b = new Uint8Array(n); b.set(PNG_SIGNATURE); return b; };

/** Answers class 3 for any non-empty body and records its length. */
const stubModel = {
  info: { numClasses: 10, labels: [], sha256: 'stub', weights: 0, backend: 'stub' },
  async classify(image: Uint8Array) {
    received.push(image.length);
    return [{ index: 3, label: 'cat', probability: 1 }];
  },
} as unknown as NodeModel;

beforeAll(async () => {
  server = createClassifyServer(stubModel, { maxBytes: LIMIT });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** POSTs `body` to /classify in 64 KiB writes, chunked or with a Content-Length; resolves status and JSON. */
function upload(body: Uint8Array, chunked: boolean): Promise<{ status: number; json: { error?: string } }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (chunked) headers['transfer-encoding'] = 'chunked';
    else headers['content-length'] = String(body.length);
    const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/classify', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    const write = (at: number): void => {
      if (at >= body.length) return void req.end();
      const ok = req.write(body.subarray(at, at + 65_536));
      if (ok) setImmediate(write, at + 65_536);
      else req.once('drain', () => write(at + 65_536));
    };
    write(0);
  });
}

/** Sends raw bytes on a fresh connection and resolves everything the server wrote before closing. */
function raw(bytes: string, hangUp: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1').on('data', (c: string) => (text += c)).on('close', () => resolve(text)).on('error', reject);
    socket.write(bytes, () => {
      if (hangUp) setTimeout(() => socket.destroy(), 50);
    });
    setTimeout(() => socket.destroy(), 3_000);
  });
}

async function stillServes(): Promise<void> {
  const before = received.length;
  const r = await upload(PNG_SIGNATURE, false);
  expect(r.status).toBe(200);
  expect(received.slice(before)).toEqual([8]);
}

describe.each([
  ['chunked', true],
  ['Content-Length', false],
])('a %s body', (_kind, chunked) => {
  it('of 6 MB of zeros gets 413 and the service keeps serving', async () => {
    const r = await upload(new Uint8Array(6_000_000), chunked);
    expect(r.status).toBe(413);
    expect(r.json.error).toBe(chunked ? 'The request body passed the 100000-byte limit.' : 'The request body of 6000000 bytes is over the 100000-byte limit.');
    await stillServes();
  });

  it('one byte over the limit gets 413; exactly the limit is classified', async () => {
    expect((await upload(new Uint8Array(LIMIT + 1), chunked)).status).toBe(413);
    const before = received.length;
    expect((await upload(pngOf(LIMIT), chunked)).status).toBe(200);
    expect(received.slice(before)).toEqual([LIMIT]);
  });

  it('that is empty gets 400', async () => {
    const r = await upload(new Uint8Array(0), chunked);
    expect(r).toEqual({ status: 400, json: { error: 'The request body is empty; send the image bytes.' } });
    await stillServes();
  });

  it('cut off by the client hanging up mid-body gets no answer and the service keeps serving', async () => {
    const head = 'POST /classify HTTP/1.1\r\nhost: x\r\ncontent-type: image/png\r\n';
    const text = await raw(chunked ? `${head}transfer-encoding: chunked\r\n\r\n400\r\n${'a'.repeat(100)}` : `${head}content-length: 5000\r\n\r\n${'a'.repeat(100)}`, true);
    expect(text).toBe('');
    await stillServes();
  });
});

describe('bodies that are no raster image get 415 before decoding, whatever their Content-Type', () => {
  it.each([
    ['an SVG', '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', 'The 64-byte body starting 3c 73 76 67 is not a PNG, JPEG, WebP, GIF, TIFF, AVIF image; send one of those.'],
    ['text', 'hello, not a png', 'The 16-byte body starting 68 65 6c 6c is not a PNG, JPEG, WebP, GIF, TIFF, AVIF image; send one of those.'],
  ])('%s sent as application/octet-stream', async (_name, body, error) => {
    const before = received.length;
    const r = await upload(new TextEncoder().encode(body), false);
    expect(r).toEqual({ status: 415, json: { error } });
    expect(received.length).toBe(before);
    await stillServes();
  });
});

describe('malformed framing gets 400 from the HTTP parser and the service keeps serving', () => {
  it.each([
    ['a chunk size that is not hex', 'transfer-encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'],
    ['a Content-Length that is not a number', 'content-length: abc\r\n\r\nabc'],
    ['both Content-Length and chunked', 'content-length: 3\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'],
  ])('%s', async (_name, rest) => {
    const text = await raw(`POST /classify HTTP/1.1\r\nhost: x\r\ncontent-type: image/png\r\n${rest}`, false);
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    await stillServes();
  });
});
