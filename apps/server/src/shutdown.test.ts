/**
 * Readiness and graceful stop: /readyz answers 200 until shutdown() begins and 503 after; a request
 * in flight still gets its answer; an idle keep-alive connection and a stalled upload do not hold
 * the stop past its deadline. Uses a stub model whose classify takes 200 ms.
 */
import { connect, type AddressInfo } from 'node:net';
import { Agent, request } from 'node:http';
import type { NodeModel } from '@onebit/runtime';
import { expect, it } from 'vitest';
import { createClassifyServer } from './classify-server.js';

const stubModel = {
  info: { numClasses: 10, labels: [], sha256: 'stub', weights: 0, backend: 'stub' },
  classify: () => new Promise((resolve) => setTimeout(() => resolve([{ index: 3, label: 'cat', probability: 1 }]), 200)),
} as unknown as NodeModel;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function get(port: number, path: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', path, agent }, (res) => res.resume().on('end', () => resolve(res.statusCode!))).on('error', reject).end();
  });
}

it('fails readiness, drains the request in flight and closes idle and stalled connections within the deadline', async () => {
  const server = createClassifyServer(stubModel);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
  expect(await get(port, '/readyz', keepAlive)).toBe(200);

  const stalled = connect(port, '127.0.0.1');
  stalled.write('POST /classify HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\nabc');
  const stalledClosed = new Promise((resolve) => stalled.on('close', resolve).on('error', () => {}));

  const inFlight = fetch(`http://127.0.0.1:${port}/classify`, { method: 'POST', body: PNG });
  await new Promise((r) => setTimeout(r, 50));
  const t0 = performance.now();
  const stopped = server.shutdown(500);
  expect(await get(port, '/readyz', keepAlive).catch(() => 'closed')).toSatisfy((v) => v === 503 || v === 'closed');
  const res = await inFlight;
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ top: [{ index: 3 }] });
  await stopped;
  await stalledClosed;
  const ms = performance.now() - t0;
  expect(ms).toBeLessThan(2_000);
  keepAlive.destroy();
});
