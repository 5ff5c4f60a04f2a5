/**
 * Vite plugin that puts the generated assets (generate-assets.ts), onnxruntime-web's WebAssembly
 * files and an offline service worker into the app's build output, so the page fetches nothing
 * from a CDN. `vite dev` serves the same files from memory. The service worker's precache list is
 * every emitted file except the models, which the runtime keeps in its own content-hash cache.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { generateAssets, MODEL_FILE, PLAIN_MODEL_FILE } from './generate-assets.js';
import { serviceWorkerSource } from './service-worker.js';

/** onnxruntime-web files the wasm backend loads at run time (the SIMD + threads build). */
export const ORT_FILES = ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'] as const;
export const ORT_DIR = 'ort/';

function ortDist(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
}

export function onebitAssets(): Plugin {
  let assets: Map<string, Uint8Array | string> | undefined;
  const load = async (log: (line: string) => void): Promise<Map<string, Uint8Array | string>> => {
    if (assets) return assets;
    const generated = await generateAssets(log);
    const files = new Map(generated.files);
    const dist = ortDist();
    for (const f of ORT_FILES) files.set(`${ORT_DIR}${f}`, new Uint8Array(readFileSync(join(dist, f))));
    assets = files;
    return files;
  };
  return {
    name: 'onebit-assets',
    async buildStart() {
      await load((line) => this.info(line));
    },
    async generateBundle(_options, bundle) {
      const files = await load((line) => this.info(line));
      for (const [fileName, source] of files) this.emitFile({ type: 'asset', fileName, source });
      // Cache.addAll rejects duplicate URLs, and the files just emitted are already in `bundle`.
      // The models are not precached: the runtime keeps each in its own cache once loaded, and the
      // plain net is fetched only when the model selector asks for it.
      const precache = [...new Set(['./', ...Object.keys(bundle), ...files.keys()])].filter((f) => f !== MODEL_FILE && f !== PLAIN_MODEL_FILE && !f.endsWith('.map'));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: serviceWorkerSource(precache, Date.now().toString(36)) });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0]!.replace(/^\/+/, '');
        void load((line) => server.config.logger.info(line)).then((files) => {
          const file = files.get(path);
          if (file === undefined) return next();
          res.setHeader('content-type', path.endsWith('.json') ? 'application/json' : path.endsWith('.mjs') ? 'text/javascript' : path.endsWith('.wasm') ? 'application/wasm' : path.endsWith('.png') ? 'image/png' : 'application/octet-stream');
          res.end(file);
        }, next);
      });
    },
  };
}
