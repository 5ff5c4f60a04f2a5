/**
 * Reads a request body up to a byte limit. A Content-Length over the limit is refused before any
 * byte is read; a chunked body is counted as it arrives and refused the moment it passes the limit.
 * On refusal the rest of the body is left flowing (discarded) so the caller can still answer 413 on
 * the same connection; a client that hangs up mid-body rejects with BodyAbortedError.
 */
import type { IncomingMessage } from 'node:http';

/** The body is larger than the service accepts (HTTP 413). */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number, readonly size: number | undefined) {
    super(size === undefined ? `The request body passed the ${limit}-byte limit.` : `The request body of ${size} bytes is over the ${limit}-byte limit.`);
    this.name = 'BodyTooLargeError';
  }
}

/** The client closed the connection before the whole body arrived (nobody is left to answer). */
export class BodyAbortedError extends Error {
  constructor(readonly received: number) {
    super(`The client closed the connection after ${received} bytes of the request body.`);
    this.name = 'BodyAbortedError';
  }
}

/**
 * The whole body of `req` as bytes.
 * @throws BodyTooLargeError past `limit` bytes (declared or counted); BodyAbortedError if the
 *   client hangs up or the stream fails before the end.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(new BodyTooLargeError(limit, declared));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      cleanup();
      req.resume(); // keep draining (discarding) so the 413 can still be written and read
      reject(new BodyTooLargeError(limit, undefined));
    };
    const onEnd = (): void => {
      cleanup();
      const body = Buffer.concat(chunks);
      resolve(new Uint8Array(body.buffer, body.byteOffset, body.length));
    };
    const onAbort = (): void => {
      cleanup();
      reject(new BodyAbortedError(size));
    };
    const onClose = (): void => {
      if (!req.complete) onAbort();
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onClose);
  });
}
