/**
 * The page the browser runner loads: it imports onnxruntime-web's WebAssembly build from the
 * loopback server, creates a session from `/model.onnx` and exposes `onebitRun(path, dims)`, which
 * fetches a float32 batch from the server, runs it and returns the first output as numbers.
 */

export const BROWSER_PAGE = `<!doctype html>
<meta charset="utf-8">
<title>onebit browser runner</title>
<script type="module">
import * as ort from '/ort/ort.wasm.min.mjs';
window.onebitInit = async (threads) => {
  ort.env.wasm.wasmPaths = '/ort/';
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  const started = performance.now();
  const session = await ort.InferenceSession.create('/model.onnx', { graphOptimizationLevel: 'all', executionProviders: ['wasm'] });
  window.onebitSession = session;
  return {
    ms: performance.now() - started, inputNames: session.inputNames, outputNames: session.outputNames,
    version: ort.env.versions.web || '', isolated: self.crossOriginIsolated,
  };
};
window.onebitRun = async (path, dims) => {
  const session = window.onebitSession;
  const data = new Float32Array(await (await fetch(path)).arrayBuffer());
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', data, dims) });
  const t = out[session.outputNames[0]];
  if (t.type !== 'float32') return { type: t.type };
  return { type: t.type, data: Array.from(t.data) };
};
window.onebitReady = true;
</script>
`;
