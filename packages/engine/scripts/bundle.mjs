// Build step (after tsc): bundles the engine's two entry points (dist/index.js, dist/thread-worker.js)
// with the parts of @onebit/onnx, @onebit/bits and @onebit/core they use into one minified ES module
// each, dist/bundle/*.js, which package.json exports. One module instead of 52 saves a Node process
// ~2.5 MiB of peak RSS (Node's module loader keeps each module's records, source and compiled
// code, and their survival grows V8's young generation): the bench's load-and-classify child made
// 62.1–63.6 MiB from the 52 modules and 59.8–61.7 from this bundle, five runs each, 2026-12-01.
// @onebit/core's error classes stay an import of `@onebit/core/errors`, so `instanceof FormatError`
// holds for errors the engine throws. keepNames keeps class and function names (error names).
import { build } from 'esbuild';

const dist = new URL('../dist/', import.meta.url).pathname;
// Named, not `export *`: a star re-export of an external module would stop esbuild from dropping
// the parts of @onebit/core the engine does not use (class names, image resizing…).
const errorNames = Object.keys(await import('@onebit/core/errors'));

await build({
  entryPoints: { index: `${dist}index.js`, 'thread-worker': `${dist}thread-worker.js` },
  outdir: `${dist}bundle`,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  minify: true,
  keepNames: true,
  sourcemap: true,
  logLevel: 'warning',
  plugins: [{
    name: 'core-errors-external',
    setup(b) {
      // core's own errors.js becomes a re-export of the shared module `@onebit/core/errors`.
      b.onLoad({ filter: /[\\/]core[\\/]dist[\\/]errors\.js$/ }, () => ({ contents: `export { ${errorNames.join(', ')} } from '@onebit/core/errors';`, loader: 'js' }));
      b.onResolve({ filter: /^@onebit\/core\/errors$/ }, () => ({ path: '@onebit/core/errors', external: true }));
    },
  }],
});
