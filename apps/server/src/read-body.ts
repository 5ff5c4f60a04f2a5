/**
 * Reads a request body up to a byte limit. A Content-Length over the limit is refused before any
 * byte is read; a chunked body is counted as it arrives and refused the moment it passes the limit.
 */
import type { IncomingMessage } from 'node:http';

/** The body is larger than the service accepts (HTTP 413). */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number, readonly size: number | undefined) {
    super(size === undefined ? `The request body passed the ${limit}-byte limit.` : `The request body of ${size} bytes is over the ${limit}-byte limit.`);
    this.name = 'BodyTooLargeError';
  }
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit, declared);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(limit, undefined);
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  return new Uint8Array(body.buffer, body.byteOffset, body.length);
}
