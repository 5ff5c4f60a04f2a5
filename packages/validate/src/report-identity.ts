/**
 * What a validation report says it measured (report schema version 1): the tool that wrote it, the
 * SHA-256 of the model and of the data, the preprocessing in full, and the runtime's version and
 * thread count. `report merge` and `--max-drop-vs` compare these fields (see report-compat.ts), so
 * reports are matched by content hash, never by file name. The schema is documented in ../README.md.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PreprocessPreset } from '@onebit/core';
import type { DataDigest, ImageSet } from './image-set.js';
import type { RuntimeName } from './runner.js';

/** The version of the report JSON this onebit writes and reads; bumped when a field changes meaning. */
export const REPORT_SCHEMA_VERSION = 1;

const require = createRequire(import.meta.url);

/** `@onebit/validate <version>`: the tool recorded in every report (package.json sits above src/ and dist/). */
export const TOOL = `@onebit/validate ${(require('../package.json') as { version: string }).version}`;

/** The preprocessing in full, as recorded in a report and compared by merge and `--max-drop-vs`. */
export interface PreprocessingRecord {
  name: string;
  /** Multiplier applied to each byte first, then `(x − mean[c]) / std[c]`. */
  scale: number;
  mean: number[];
  std: number[];
  /** Shorter side resized to this many pixels (absent: no resize). */
  resize?: number;
  /** Centre crop size (absent: no crop). */
  crop?: number;
}

/** The identity fields every schema-1 report carries (besides `preprocess`, `runtimeName`, `range`, `n`). */
export interface ReportIdentity {
  schemaVersion: number;
  /** The tool and its version that wrote the report, e.g. "@onebit/validate 0.1.0" or "onebit 0.1.0". */
  tool: string;
  /** SHA-256 of the model file validated (hex). */
  modelSha256: string;
  /** SHA-256 of the data (hex); `dataDigest` says what was hashed. */
  dataSha256: string;
  dataDigest: string;
  preprocessing: PreprocessingRecord;
  /** The inference library and its version, e.g. "onnxruntime-node 1.30.0". */
  runtimeVersion: string;
  /** Threads asked of the runtime (the onebit engine always uses 1; `runtimeName` says what ran). */
  threads: number;
}

/** Lower-case hex SHA-256 of `bytes` (a string is hashed as UTF-8). */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A stable digest of an in-memory image set (used when the set does not say which files it came
 * from): SHA-256 over "n c h w\n", then the N×C×H×W pixel bytes, then one byte per label (labels are
 * below 256 in every format onebit reads; larger ones are written as 4 little-endian bytes each).
 */
export function imageSetDigest(set: ImageSet): DataDigest {
  const hash = createHash('sha256').update(`${set.n} ${set.channels} ${set.height} ${set.width}\n`);
  hash.update(set.pixels.subarray(0, set.n * set.channels * set.height * set.width));
  const labels = Array.from(set.labels);
  hash.update(labels.every((l) => l < 256) ? Uint8Array.from(labels) : new Uint8Array(Uint32Array.from(labels).buffer));
  return { sha256: hash.digest('hex'), of: `the ${set.n} images' pixels and labels in memory (imageSetDigest)` };
}

/** The preprocessing record of `preset`. */
export function preprocessingRecord(preset: PreprocessPreset): PreprocessingRecord {
  return {
    name: preset.name, scale: preset.scale, mean: [...preset.mean], std: [...preset.std],
    ...(preset.resize !== undefined ? { resize: preset.resize } : {}),
    ...(preset.crop !== undefined ? { crop: preset.crop } : {}),
  };
}

/** The version of installed package `name`, found from its resolved entry point (some packages do not export package.json). */
function packageVersion(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) return 'unknown';
    dir = dirname(dir);
  }
}

/** The inference library behind `runtime` and its installed version, e.g. "onnxruntime-web 1.30.0". */
export function runtimeVersion(runtime: RuntimeName): string {
  const library = runtime === 'node' ? 'onnxruntime-node' : runtime === 'onebit' ? '@onebit/engine' : 'onnxruntime-web';
  return `${library} ${packageVersion(library)}`;
}
