/**
 * Starts the example service: `node dist/main.js [--model model.onnx] [--labels classes.txt]
 * [--port 8080] [--host 127.0.0.1] [--max-bytes 5000000] [--threads 2]`. Without --model it
 * serves the authors' CIFAR-10 WRN-20-10, converted at start-up from the data resolver's copy.
 */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { loadModel } from '@onebit/runtime';
import { createClassifyServer, DEFAULT_MAX_BYTES } from './classify-server.js';
import { defaultModel } from './default-model.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      labels: { type: 'string' },
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      'max-bytes': { type: 'string', default: String(DEFAULT_MAX_BYTES) },
      threads: { type: 'string', default: '2' },
    },
  });
  const fallback = values.model ? undefined : await defaultModel();
  const labels = values.labels ? (await readFile(values.labels, 'utf8')).split(/\r?\n/).map((l) => l.trim()).filter(Boolean) : fallback?.labels;
  // onnxruntime-node: its inference runs off the event loop; the onebit engine would run on this thread.
  const model = await loadModel(values.model ?? fallback!.model, { threads: Number(values.threads), backend: 'onnxruntime', ...(labels ? { labels } : {}) });
  const server = createClassifyServer(model, { maxBytes: Number(values['max-bytes']) });
  server.listen(Number(values.port), values.host, () => {
    const { address, port } = server.address() as AddressInfo;
    console.log(`onebit example service on http://${address}:${port} — POST /classify (image bytes), GET /healthz; model ${model.info.sha256.slice(0, 12)}…, ${model.info.weights.toLocaleString('en')} binary weights, loaded in ${model.info.loadTimeMs.toFixed(0)} ms`);
  });
  const stop = (): void => {
    server.close(() => void model.dispose());
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
