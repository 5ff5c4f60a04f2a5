/**
 * Turns the raw result of unpickling a checkpoint (with TensorRef views and TorchStorage objects
 * still pointing into storages, numpy arrays and dtypes, opaque objects) into a plain PickleValue
 * tree of @onebit/core Tensors. Shared
 * references stay shared (the same TensorRef becomes the same Tensor), cycles are preserved, and
 * nesting deeper than a limit is refused.
 */
import { LimitError, type Tensor, type TensorBudget } from '@onebit/core';
import { NumpyArrayRef, NumpyDtype, materializeNumpyArray, numpyDtypeName } from './numpy-value.js';
import { OpaqueObject, PickleGlobal, type PickleValue } from './pickle-value.js';
import { TensorRef, materializeTensor } from './rebuild-tensor.js';
import { TorchStorage } from './storage.js';

export const MAX_NESTING = 200;

export function toPickleValue(raw: unknown, format: string, budget: TensorBudget): PickleValue {
  const seen = new Map<object, PickleValue>();
  const walk = (value: unknown, path: string, depth: number): PickleValue => {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'object') return value as PickleValue;
    if (value instanceof Uint8Array || value instanceof PickleGlobal) return value;
    const done = seen.get(value);
    if (done !== undefined) return done;
    if (depth > MAX_NESTING) throw new LimitError(`${format}: '${path}' is nested more than ${MAX_NESTING} containers deep; onebit refuses such pickles.`);
    const name = path || 'root';
    if (value instanceof TensorRef) {
      const t: Tensor = materializeTensor(value, format, name, budget);
      seen.set(value, t);
      return t;
    }
    if (value instanceof TorchStorage) {
      const t = materializeTensor(new TensorRef(value, 0, [value.numel], [1]), format, name, budget);
      seen.set(value, t);
      return t;
    }
    if (value instanceof NumpyDtype) return numpyDtypeName(value);
    if (value instanceof NumpyArrayRef) {
      const t = materializeNumpyArray(value, format, name, budget);
      seen.set(value, t);
      if (t instanceof OpaqueObject) t.state = walk(t.state, name, depth + 1);
      return t;
    }
    const child = (key: unknown): string => (path ? `${path}.${String(key)}` : String(key));
    if (value instanceof OpaqueObject) {
      const out = new OpaqueObject(value.className, []);
      seen.set(value, out);
      value.args.forEach((v, i) => out.args.push(walk(v, child(`args.${i}`), depth + 1)));
      out.state = value.state === undefined ? undefined : walk(value.state, child('state'), depth + 1);
      for (const [k, v] of value.dictItems) out.dictItems.set(walk(k, child('key'), depth + 1), walk(v, child(k), depth + 1));
      value.listItems.forEach((v, i) => out.listItems.push(walk(v, child(i), depth + 1)));
      return out;
    }
    if (Array.isArray(value)) {
      const out: PickleValue[] = [];
      seen.set(value, out);
      value.forEach((v, i) => out.push(walk(v, child(i), depth + 1)));
      return out;
    }
    if (value instanceof Map) {
      const out = new Map<PickleValue, PickleValue>();
      seen.set(value, out);
      for (const [k, v] of value) out.set(walk(k, child('key'), depth + 1), walk(v, child(k), depth + 1));
      return out;
    }
    if (value instanceof Set) {
      const out = new Set<PickleValue>();
      seen.set(value, out);
      for (const v of value) out.add(walk(v, child('item'), depth + 1));
      return out;
    }
    throw new TypeError(`unexpected ${(value as object).constructor?.name} in an unpickled checkpoint at '${name}'.`);
  };
  return walk(raw, '', 0);
}
