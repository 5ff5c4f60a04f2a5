/**
 * Vite build of the onebit web app. The onebit-assets plugin converts the model and bundles the
 * samples at build time; workers are ES modules (onnxruntime-web imports its glue dynamically);
 * preview serves with COOP/COEP so onnxruntime-web may use WebAssembly threads; the build ends by
 * printing the app's download size by kind (JS, wasm, model), raw and gzipped.
 */
import { defaultClientConditions, defineConfig } from 'vite';
import { onebitAssets } from './build/assets-plugin.js';
import { bundleSizeReport } from './build/bundle-size.js';

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base: './',
  plugins: [onebitAssets(), bundleSizeReport()],
  // onnxruntime-web without its embedded glue: it loads ort/*.mjs and .wasm that we copy ourselves.
  resolve: { conditions: [...defaultClientConditions, 'onnxruntime-web-use-extern-wasm'] },
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS, host: '127.0.0.1', port: 5173, strictPort: true },
});
