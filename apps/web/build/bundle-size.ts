/**
 * Vite plugin that prints the built app's download size by kind — JS, wasm, model, sample images,
 * the rest (HTML, CSS, JSON) — raw and gzipped (gzip -9 with node:zlib), after the files are written,
 * so the README's size figures come from `npm run build -w @onebit/web`.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin, ResolvedConfig } from 'vite';

/** What a file of the built app is, by extension. */
export function assetKind(file: string): 'JS' | 'wasm' | 'model' | 'samples' | 'other' {
  const ext = extname(file).toLowerCase();
  if (ext === '.js' || ext === '.mjs') return 'JS';
  if (ext === '.wasm') return 'wasm';
  if (ext === '.onnx' || ext === '.onebit') return 'model';
  if (ext === '.png' || ext === '.jpg' || ext === '.jpeg' || ext === '.webp') return 'samples';
  return 'other';
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Rows of the size table: kind, file count, bytes, gzip bytes; the last row is the total. */
export function bundleSizes(outDir: string): Array<{ kind: string; files: number; bytes: number; gzip: number }> {
  const rows = new Map<string, { kind: string; files: number; bytes: number; gzip: number }>();
  for (const kind of ['JS', 'wasm', 'model', 'samples', 'other']) rows.set(kind, { kind, files: 0, bytes: 0, gzip: 0 });
  for (const file of filesUnder(outDir)) {
    const bytes = readFileSync(file);
    const row = rows.get(assetKind(file))!;
    row.files += 1;
    row.bytes += bytes.length;
    row.gzip += gzipSync(bytes, { level: 9 }).length;
  }
  const list = [...rows.values()].filter((r) => r.files > 0);
  list.push(list.reduce((t, r) => ({ kind: 'total', files: t.files + r.files, bytes: t.bytes + r.bytes, gzip: t.gzip + r.gzip }), { kind: 'total', files: 0, bytes: 0, gzip: 0 }));
  return list;
}

export function bundleSizeReport(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'onebit-bundle-size',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    closeBundle() {
      const rows = bundleSizes(resolve(config.root, config.build.outDir));
      const n = (v: number) => v.toLocaleString('en-US');
      const lines = rows.map((r) => `${r.kind.padEnd(8)} ${String(r.files).padStart(5)} ${n(r.bytes).padStart(12)} ${n(r.gzip).padStart(12)}`);
      config.logger.info(['', 'download size of the built app (gzip -9):', `${'kind'.padEnd(8)} ${'files'.padStart(5)} ${'bytes'.padStart(12)} ${'gzip'.padStart(12)}`, ...lines].join('\n'));
    },
  };
}
