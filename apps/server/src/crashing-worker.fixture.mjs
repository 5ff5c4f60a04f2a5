/** Test fixture for inference-pool.test.ts: a pool worker that answers topK as the class index, and exits with code 3 on topK 9. */
import { parentPort } from 'node:worker_threads';

parentPort.postMessage({ type: 'ready', info: { numClasses: 10, sha256: 'fixture', weights: 0, backend: 'fixture' } });
parentPort.on('message', (m) => {
  if (m.topK === 9) process.exit(3);
  parentPort.postMessage({ type: 'result', id: m.id, top: [{ index: m.topK, label: `class ${m.topK}`, probability: 1 }], ms: 1 });
});
