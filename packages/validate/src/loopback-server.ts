/**
 * A tiny HTTP server on 127.0.0.1 (an OS-chosen port) that serves fixed routes from memory or
 * files, with the cross-origin isolation headers (COOP/COEP) a page needs for SharedArrayBuffer, so
 * onnxruntime-web can run its WebAssembly threads in the browser. Nothing listens beyond loopback.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.mjs': 'text/javascript', '.js': 'text/javascript',
  '.wasm': 'application/wasm', '.onnx': 'application/octet-stream', '.bin': 'application/octet-stream',
};

export interface LoopbackServer {
  /** e.g. "http://127.0.0.1:41235" */
  readonly origin: string;
  /** Serves `bytes` at `path` (replacing what was there); `undefined` removes it. */
  put(path: string, bytes: Uint8Array | string | undefined): void;
  /** Each path answered 200 so far and still routed, with the body sent (the last, if sent twice). */
  sent(): ReadonlyMap<string, Uint8Array | string>;
  close(): Promise<void>;
}

/** Starts a server; `folders` maps a URL prefix like "/ort/" to a directory served read-only. */
export async function startLoopbackServer(folders: Readonly<Record<string, string>> = {}): Promise<LoopbackServer> {
  const routes = new Map<string, Uint8Array | string>();
  const sent = new Map<string, Uint8Array | string>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const headers = {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cache-Control': 'no-store',
        'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
      };
      let body = routes.get(path);
      if (body === undefined) {
        const prefix = Object.keys(folders).find((p) => path.startsWith(p));
        const rest = prefix ? normalize(path.slice(prefix.length)) : '';
        if (prefix && !rest.startsWith('..') && !rest.includes('/')) body = await readFile(join(folders[prefix]!, rest)).catch(() => undefined);
      }
      if (body === undefined) {
        res.writeHead(404, headers).end(`not found: ${path}`);
        return;
      }
      sent.set(path, body);
      res.writeHead(200, headers).end(body);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    put(path, bytes) {
      if (bytes === undefined) {
        routes.delete(path);
        sent.delete(path); // a removed route (a runner's finished batch) is not kept
      } else routes.set(path, bytes);
    },
    sent: () => sent,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
