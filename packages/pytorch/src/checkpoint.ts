/**
 * readTorch: a torch.save file (zip or legacy) to its unpickled object, the flattened state_dict
 * (found inside `{'state_dict': ..., 'epoch': ...}` wrappers, nested keys joined with '.') and the
 * wrapper's scalar entries (epoch, best_prec1, ...), and the values kept as inert placeholders
 * (instances of classes outside the allow-list). A whole pickled nn.Module is refused with the way
 * forward. sniffTorch tells the format without throwing.
 */
import { FormatError, LimitError, ModelError, type Tensor, TensorBudget, UnsupportedError, WrongFileError, assertNotWrongFile, sentenceCase } from '@onebit/core';
import { OpaqueObject, type PickleValue, isTensor } from './pickle-value.js';
import { looksLikeSafetensors } from './safetensors.js';
import { looksLikeTorchLegacy, unpickleTorchLegacy } from './torch-legacy.js';
import { toPickleValue } from './torch-value.js';
import { MIN_CENTRAL_RECORD_BYTES, type TorchZipLimits, looksLikeZip, unpickleTorchZip } from './torch-zip.js';
import { unzipSync } from 'fflate';

export type TorchFormat = 'torch-zip' | 'torch-legacy';

export interface TorchCheckpoint {
  format: TorchFormat;
  /** The whole unpickled object as plain data. */
  root: PickleValue;
  /** The state_dict flattened to `a.b.c` names, in file order. */
  tensors: Map<string, Tensor>;
  /** The key of the wrapper entry the tensors came from ('state_dict', ...), or undefined for the root. */
  stateDictKey: string | undefined;
  /** Top-level scalar entries of a wrapper dict (epoch, best_prec1, arch, ...). */
  metadata: Record<string, number | string | boolean>;
  /**
   * Values kept as inert placeholders, by their `a.b.c` name → class: instances of classes outside
   * the allow-list (argparse.Namespace, Lightning's AttributeDict, ...), never called, never tensors.
   */
  placeholders: Map<string, string>;
}

export interface ReadTorchOptions extends Partial<TorchZipLimits> {
  /** File name for messages. */
  name?: string;
  /**
   * Most bytes all materialised tensors (and numpy arrays) may take together, charged before each is
   * allocated; default 64 MiB + 4 × the file size (defaultMaxTorchTensorBytes): strided views of one
   * storage may legitimately repeat it, zero-stride views could make a tiny file claim terabytes.
   */
  maxTensorBytes?: number;
}

/** The default maxTensorBytes for a file of `fileBytes` bytes: 64 MiB + 4 × its size. */
export function defaultMaxTorchTensorBytes(fileBytes: number): number {
  return 64 * 1024 ** 2 + 4 * fileBytes;
}

/** Wrapper keys that hold the weights, in order of preference. */
export const STATE_DICT_KEYS = ['state_dict', 'model_state_dict', 'model', 'net', 'network', 'module'];

/** 'torch-zip' | 'torch-legacy' for a torch.save file, else undefined; never throws. */
export function sniffTorch(bytes: Uint8Array): TorchFormat | undefined {
  if (looksLikeTorchLegacy(bytes)) return 'torch-legacy';
  if (!looksLikeZip(bytes)) return undefined;
  try {
    let found = false;
    let seen = 0;
    unzipSync(bytes, {
      filter: (f) => {
        if (f.name === 'data.pkl' || f.name.endsWith('/data.pkl')) found = true;
        if (++seen > Math.min(100_000, bytes.length / MIN_CENTRAL_RECORD_BYTES)) throw new Error('more entries than the archive can hold');
        return false;
      },
    });
    return found ? 'torch-zip' : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a torch.save file; throws typed errors (WrongFileError, FormatError, SecurityError, ...). */
export function readTorch(bytes: Uint8Array, options: ReadTorchOptions = {}): TorchCheckpoint {
  const name = options.name ?? 'the file';
  assertNotWrongFile(bytes, name);
  let format: TorchFormat;
  let raw: unknown;
  if (looksLikeZip(bytes)) {
    format = 'torch-zip';
    raw = unpickleTorchZip(bytes, options).raw;
  } else if (looksLikeTorchLegacy(bytes)) {
    format = 'torch-legacy';
    raw = unpickleTorchLegacy(bytes).raw;
  } else {
    throw notTorch(bytes, name);
  }
  const budget = new TensorBudget(options.maxTensorBytes ?? defaultMaxTorchTensorBytes(bytes.length));
  const root = toPickleValue(raw, format, budget);
  const { tensors, stateDictKey } = findStateDict(root, format);
  const placeholders = new Map<string, string>();
  flattenTensors(root, format, placeholders);
  refuseWholeModule(root, tensors.size, name);
  return { format, root, tensors, stateDictKey, metadata: root instanceof Map ? scalarEntries(root, stateDictKey !== undefined) : {}, placeholders };
}

/**
 * `torch.save(model)` pickles the module object itself (its class, submodules and parameters), which
 * only the model's own Python code can rebuild: refuse it, saying to save the state_dict instead —
 * when it is the root, or when a wrapper entry holds one and no state_dict tensors were found.
 */
function refuseWholeModule(root: PickleValue, tensorCount: number, name: string): void {
  const candidates = root instanceof OpaqueObject ? [root] : tensorCount === 0 && root instanceof Map ? [...root.values()] : [];
  const module = candidates.find((v): v is OpaqueObject => v instanceof OpaqueObject && (v.isTorchModule || v === root));
  if (!module) return;
  const what = module.isTorchModule ? `a whole pickled nn.Module ('${module.className}')` : `a pickled '${module.className}' object`;
  throw new UnsupportedError(`${sentenceCase(name)} holds ${what} instead of a state_dict; onebit never runs a model's own code, so save the weights with torch.save(model.state_dict(), path) and convert that file.`);
}

function notTorch(bytes: Uint8Array, name: string): Error {
  const subject = sentenceCase(name);
  if (bytes.length > 262 && String.fromCharCode(...bytes.subarray(257, 262)) === 'ustar') {
    return new UnsupportedError(`${subject} is a tar archive, the torch.save format of torch < 0.1.10, which onebit does not read; re-save it with a newer torch.`);
  }
  if (looksLikeSafetensors(bytes)) return new WrongFileError(`${subject} is a safetensors file, not a torch.save file; read it with readSafetensors.`);
  if (bytes[0] === 0x80) return new WrongFileError(`${subject} is a plain pickle without the torch magic number, not a torch.save file.`);
  const head = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return new WrongFileError(`${subject} is not a PyTorch checkpoint: it starts with bytes ${head}, neither a zip archive nor the legacy torch magic number.`);
}

/** The tensors of the state_dict inside `root`: a preferred wrapper key if one holds tensors, else all of root. */
export function findStateDict(root: PickleValue, format = 'torch'): { tensors: Map<string, Tensor>; stateDictKey: string | undefined } {
  if (root instanceof Map) {
    for (const key of STATE_DICT_KEYS) {
      const value = root.get(key);
      if (value instanceof Map) {
        const tensors = flattenTensors(value, format);
        if (tensors.size) return { tensors, stateDictKey: key };
      }
    }
  }
  return { tensors: flattenTensors(root, format), stateDictKey: undefined };
}

/**
 * Most values flattenTensors visits. A pickle can share one container under two keys at every
 * level (x = (y, y), y = (z, z), ...): 60 such levels take 120 bytes but name 2^60 paths.
 */
export const MAX_FLATTEN_VISITS = 1_000_000;

/**
 * Every tensor under `value`, named by its dict keys and list indices joined with '.'; inert
 * placeholders met on the way are not tensors and are listed in `placeholders` (name → class).
 */
export function flattenTensors(value: PickleValue, format = 'torch', placeholders?: Map<string, string>): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  const onPath = new Set<object>();
  let visits = 0;
  const walk = (v: PickleValue, path: string): void => {
    if (++visits > MAX_FLATTEN_VISITS) {
      throw new LimitError(`${format}: the checkpoint reaches more than ${MAX_FLATTEN_VISITS} values when its shared containers are expanded (at '${path.slice(0, 80)}'); onebit refuses such pickles.`);
    }
    if (isTensor(v)) {
      if (out.has(path)) throw new FormatError(format, `two tensors are both named '${path}' once nested keys are joined with '.'.`);
      out.set(path, v);
      return;
    }
    if (v instanceof OpaqueObject) placeholders?.set(path, v.className);
    if (!(v instanceof Map) && !Array.isArray(v)) return;
    if (onPath.has(v)) return;
    onPath.add(v);
    const entries: Iterable<[unknown, PickleValue]> = v instanceof Map ? v : v.entries();
    for (const [k, child] of entries) walk(child, path ? `${path}.${String(k)}` : String(k));
    onPath.delete(v);
  };
  walk(value, '');
  return out;
}

function scalarEntries(root: Map<PickleValue, PickleValue>, includeScalarTensors: boolean): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [k, v] of root) {
    if (typeof k !== 'string') continue;
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v;
    else if (typeof v === 'bigint') out[k] = v.toString();
    else if (includeScalarTensors && isTensor(v) && v.dims.length === 0 && v.dtype !== 'float16' && v.dtype !== 'bfloat16') {
      const x = v.data[0]!;
      out[k] = v.dtype === 'bool' ? x === 1 : typeof x === 'bigint' ? (Number.isSafeInteger(Number(x)) ? Number(x) : x.toString()) : x;
    }
  }
  return out;
}

/**
 * Removes `prefix` (DataParallel's 'module.' by default) from every name that starts with it;
 * throws ModelError if two names would collide.
 */
export function stripPrefix<T>(map: ReadonlyMap<string, T>, prefix = 'module.'): Map<string, T> {
  const out = new Map<string, T>();
  for (const [key, value] of map) {
    const stripped = key.startsWith(prefix) ? key.slice(prefix.length) : key;
    if (out.has(stripped)) throw new ModelError(`stripping '${prefix}' makes two tensors named '${stripped}'.`, stripped);
    out.set(stripped, value);
  }
  return out;
}
