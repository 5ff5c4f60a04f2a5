/**
 * The globals a checkpoint pickle may name, like torch.load(weights_only=True): containers,
 * tensor/parameter rebuilders, storage classes, dtypes and a few pure-data builtins. Each is
 * implemented here as plain data construction, as are numpy scalars, arrays and dtypes. Any other
 * global (os.system, builtins.eval, subprocess.Popen, argparse.Namespace, ...) becomes an inert
 * OpaqueGlobal: the unpickler lets it only be the class of an inert OpaqueObject (NEWOBJ), and refuses
 * any call of it with a SecurityError naming it, so nothing outside this list is ever called.
 */
import { FormatError, UnsupportedError } from '@onebit/core';
import { NumpyArrayRef, NumpyDtype, numpyDtype, numpyFromBuffer, numpyReconstruct, numpyScalar, setArrayState, setDtypeState } from './numpy-value.js';
import { OpaqueGlobal, OpaqueObject, PickleGlobal, describeValue } from './pickle-value.js';
import { TensorRef, rebuildTensor } from './rebuild-tensor.js';
import { STORAGE_DTYPES } from './storage.js';

type Call = NonNullable<PickleGlobal['call']>;

/** Python 2 module names and their Python 3 equivalents, as pickle's fix_imports maps them. */
const PY2_MODULES: Readonly<Record<string, string>> = { __builtin__: 'builtins', copy_reg: 'copyreg' };

const TORCH_DTYPES = [
  'float32', 'float', 'float64', 'double', 'float16', 'half', 'bfloat16', 'int64', 'long', 'int32', 'int',
  'int16', 'short', 'int8', 'uint8', 'bool',
];

function handlers(format: string): Map<string, Call | null> {
  const expectTensor = (what: string) => (args: readonly unknown[], offset: number): unknown => {
    if (!(args[0] instanceof TensorRef)) throw new FormatError(format, `${what} at byte ${offset} gets ${describeValue(args[0])} instead of a tensor.`, offset);
    return args[0];
  };
  const toSet: Call = (args) => new Set(args.length ? iterable(args[0], format) : []);
  const toBytes: Call = (args, offset) => {
    if (args.length === 0) return new Uint8Array(0);
    if (args[0] instanceof Uint8Array) return args[0].slice();
    throw new UnsupportedError(`${format}: bytes(${describeValue(args[0])}) at byte ${offset} is not a pure-data call onebit allows.`);
  };
  const entries: [string, Call | null][] = [
    ['collections.OrderedDict', (args) => {
      const map = new Map<unknown, unknown>();
      for (const pair of args.length ? iterable(args[0], format) : []) {
        if (!Array.isArray(pair) || pair.length !== 2) throw new FormatError(format, `OrderedDict gets ${describeValue(pair)} instead of a (key, value) pair.`);
        map.set(pair[0], pair[1]);
      }
      return map;
    }],
    ['torch._utils._rebuild_tensor_v2', (args, offset) => rebuildTensor(args, format, offset)],
    ['torch._utils._rebuild_tensor', (args, offset) => rebuildTensor(args, format, offset)],
    ['torch._utils._rebuild_parameter', expectTensor('_rebuild_parameter')],
    ['torch._utils._rebuild_parameter_with_state', expectTensor('_rebuild_parameter_with_state')],
    ['torch.Size', (args) => [...iterable(args[0] ?? [], format)]],
    ['torch.device', (args) => args.map(String).join(':')],
    ['_codecs.encode', (args, offset) => {
      const [text, encoding] = args;
      if (typeof text !== 'string') throw new FormatError(format, `_codecs.encode at byte ${offset} gets ${describeValue(text)} instead of a string.`, offset);
      const enc = String(encoding ?? 'utf-8').toLowerCase().replace(/[-_]/g, '');
      if (enc === 'utf8') return new TextEncoder().encode(text);
      if (enc !== 'latin1' && enc !== 'iso88591') throw new UnsupportedError(`${format}: _codecs.encode at byte ${offset} uses the encoding '${String(encoding)}'; onebit decodes only latin1 and utf-8.`);
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c > 0xff) throw new FormatError(format, `_codecs.encode at byte ${offset} gets a character U+${c.toString(16)} that latin1 cannot encode.`, offset);
        out[i] = c;
      }
      return out;
    }],
    // numpy values as plain data (numpy 1 spells the module numpy.core, numpy 2 numpy._core)
    ['numpy.dtype', (args, offset) => numpyDtype(args, format, offset)],
    ...['numpy.core', 'numpy._core'].flatMap((core): [string, Call][] => [
      [`${core}.multiarray.scalar`, (args, offset) => numpyScalar(args, format, offset)],
      [`${core}.multiarray._reconstruct`, (args) => {
        const subtype = args[0];
        // a subclass of ndarray (numpy.matrix, ...) is outside the list: keep it inert
        if (subtype instanceof OpaqueGlobal) return new OpaqueObject(subtype.qualifiedName, []);
        return numpyReconstruct();
      }],
      [`${core}.numeric._frombuffer`, (args, offset) => numpyFromBuffer(args, format, offset)],
    ]),
    ['builtins.bytes', toBytes],
    ['builtins.bytearray', toBytes],
    ['builtins.set', toSet],
    ['builtins.frozenset', toSet],
    // Referenced as data, never called: storage classes (in persistent ids) and dtypes.
    ...Object.keys(STORAGE_DTYPES).map((name): [string, null] => [`torch.${name}`, null]),
    ...TORCH_DTYPES.map((name): [string, null] => [`torch.${name}`, null]),
    ['numpy.ndarray', null],
  ];
  return new Map(entries);
}

function iterable(value: unknown, format: string): Iterable<unknown> {
  if (Array.isArray(value) || value instanceof Set) return value;
  if (value instanceof Map) return value.keys();
  throw new FormatError(format, `expected a list or tuple but got ${describeValue(value)}.`);
}

/** Every allowed global as `module.name`, for documentation and `inspect`. */
export const ALLOWED_GLOBALS: readonly string[] = [...handlers('pickle').keys()];

/**
 * A `findGlobal` for the unpickler: allow-listed globals as callable PickleGlobals, anything else
 * as an inert OpaqueGlobal that the unpickler never calls.
 */
export function allowListedGlobals(format: string): (module: string, name: string, offset: number) => PickleGlobal | OpaqueGlobal {
  const table = handlers(format);
  return (module, name, offset) => {
    const mod = PY2_MODULES[module] ?? module;
    const call = table.get(`${mod}.${name}`);
    if (call === undefined) return new OpaqueGlobal(mod, name, offset, format);
    return new PickleGlobal(mod, name, call ?? undefined);
  };
}

/**
 * BUILD for checkpoints: numpy dtypes and arrays take their state; attributes on an OrderedDict
 * (state_dict._metadata) or a tensor are dropped.
 */
export function buildAllowed(format: string): (target: unknown, state: unknown, offset: number) => void {
  return (target, state, offset) => {
    if (target instanceof NumpyDtype) return setDtypeState(target, state, format, offset);
    if (target instanceof NumpyArrayRef) return setArrayState(target, state, format, offset);
    if (target instanceof Map || target instanceof TensorRef) return;
    throw new UnsupportedError(`${format}: BUILD at byte ${offset} sets the state of ${describeValue(target)}, which onebit does not support.`);
  };
}
