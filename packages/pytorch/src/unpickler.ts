/**
 * A restricted pickle virtual machine for protocols 0-5
 * (https://github.com/python/cpython/blob/main/Lib/pickle.py). It only builds data: every GLOBAL is
 * resolved through the caller's `findGlobal` (an allow-list that returns an inert OpaqueGlobal, or
 * throws SecurityError, for anything else), and REDUCE/NEWOBJ/INST/OBJ can only call what that
 * allow-list returned. An OpaqueGlobal may only be the class of NEWOBJ, which builds an inert
 * OpaqueObject; calling it or leaving it bare in the result is a SecurityError. Nothing in the
 * pickle is ever executed. Hand-written because no maintained JS library unpickles safely.
 */
import { type ByteReader, FormatError, LimitError, SecurityError, UnsupportedError } from '@onebit/core';
import { HIGHEST_PROTOCOL, OP, opName } from './pickle-opcodes.js';
import { OpaqueGlobal, OpaqueObject, PickleGlobal, describeValue } from './pickle-value.js';

export interface UnpickleLimits {
  /** Most MARKs open at once. */
  maxMarkDepth: number;
  /** Most memo entries. */
  maxMemo: number;
  /** Most values pushed on the stack over the whole pickle. */
  maxItems: number;
  /** Longest LONG1/LONG4/LONG integer in bytes. */
  maxIntBytes: number;
}

export const DEFAULT_UNPICKLE_LIMITS: Readonly<UnpickleLimits> = {
  maxMarkDepth: 1000,
  maxMemo: 1_000_000,
  maxItems: 20_000_000,
  maxIntBytes: 1024,
};

export interface UnpickleOptions {
  /**
   * Resolves GLOBAL/STACK_GLOBAL/INST; anything not allowed must be an OpaqueGlobal (kept inert)
   * or throw SecurityError.
   */
  findGlobal(module: string, name: string, offset: number): PickleGlobal | OpaqueGlobal;
  /** Resolves PERSID/BINPERSID ids (torch storages); without it persistent ids are an error. */
  persistentLoad?(pid: unknown, offset: number): unknown;
  /** Applies BUILD state to `target`; by default dicts ignore it and anything else is refused. */
  build?(target: unknown, state: unknown, offset: number): void;
  limits?: Partial<UnpickleLimits>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Runs the pickle at the reader's position up to and including STOP; returns the raw result. */
export function unpickle(reader: ByteReader, options: UnpickleOptions): unknown {
  const limits = { ...DEFAULT_UNPICKLE_LIMITS, ...options.limits };
  const fmt = reader.format;
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let items = 0;
  let at = 0;
  let op = 0;

  const fail = (message: string): never => {
    throw new FormatError(fmt, message, at);
  };
  const where = (): string => `${opName(op) ?? 'opcode'} at byte ${at}`;
  const push = (value: unknown): void => {
    if (++items > limits.maxItems) throw new LimitError(`${fmt}: more than ${limits.maxItems} values at byte ${at}; the pickle is too large to load safely.`);
    stack.push(value);
  };
  const floor = (): number => marks[marks.length - 1] ?? 0;
  const pop = (): unknown => {
    if (stack.length <= floor()) fail(`${where()} pops from an empty stack.`);
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length <= floor()) fail(`${where()} needs a value but the stack is empty.`);
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const mark = marks.pop();
    if (mark === undefined) fail(`${where()} needs a MARK but none is open.`);
    return stack.splice(mark!);
  };
  const memoPut = (key: number): void => {
    if (!memo.has(key) && memo.size >= limits.maxMemo) throw new LimitError(`${fmt}: more than ${limits.maxMemo} memo entries at byte ${at}; the pickle is too large to load safely.`);
    memo.set(key, top());
  };
  const memoGet = (key: number): void => {
    if (!memo.has(key)) fail(`${where()} reads memo entry ${key}, which was never stored.`);
    push(memo.get(key));
  };
  const line = (what: string): string => {
    const start = reader.position;
    const end = reader.bytes.indexOf(0x0a, start);
    if (end < 0) reader.need(reader.remaining + 1, what);
    const text = reader.ascii(end - start, what);
    reader.skip(1);
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  };
  const text = (bytes: Uint8Array): string => {
    try {
      return utf8.decode(bytes);
    } catch {
      return fail(`${where()} holds a string that is not valid UTF-8.`);
    }
  };
  const parseInteger = (digits: string): number | bigint => {
    if (!/^[-+]?\d+$/.test(digits)) fail(`${where()} holds '${digits.slice(0, 40)}', which is not an integer.`);
    if (digits.length > limits.maxIntBytes * 2.5) throw new LimitError(`${fmt}: a ${digits.length}-digit integer at byte ${at} exceeds the ${limits.maxIntBytes}-byte limit.`);
    return normalizeInt(BigInt(digits));
  };
  // globals outside the allow-list not (yet) used as the class of an OpaqueObject, in file order:
  // a refusal names the first of them, the global a payload starts with (getattr in getattr(__import__('os'), 'system'))
  const pending = new Set<OpaqueGlobal>();
  const refuse = (callable: OpaqueGlobal): never => {
    throw new SecurityError(([...pending][0] ?? callable).refusal());
  };
  const call = (callable: unknown, args: unknown, kind: string): unknown => {
    if (callable instanceof OpaqueGlobal) return refuse(callable);
    if (!(callable instanceof PickleGlobal)) return fail(`${kind} at byte ${at} calls ${describeValue(callable)}, which is not an allowed callable.`);
    if (!callable.call) throw new SecurityError(`${fmt}: ${kind} at byte ${at} calls '${callable.qualifiedName}', which onebit allows only as data, not as a call.`);
    if (!Array.isArray(args)) return fail(`${kind} at byte ${at} passes ${describeValue(args)} as arguments instead of a tuple.`);
    return callable.call(args, at);
  };
  /** NEWOBJ: `cls.__new__(cls, *args)` in Python; an opaque class becomes an inert OpaqueObject. */
  const construct = (cls: unknown, args: unknown, kind: string): unknown => {
    if (!(cls instanceof OpaqueGlobal)) return call(cls, args, kind);
    if (!Array.isArray(args)) return fail(`${kind} at byte ${at} passes ${describeValue(args)} as arguments instead of a tuple.`);
    pending.delete(cls);
    return new OpaqueObject(cls.qualifiedName, args);
  };
  const global = (module: string, name: string): PickleGlobal | OpaqueGlobal => {
    const found = options.findGlobal(module, name, at);
    if (found instanceof OpaqueGlobal) pending.add(found);
    return found;
  };
  const build = (target: unknown, state: unknown): void => {
    if (target instanceof OpaqueObject) target.state = state;
    else if (options.build) options.build(target, state, at);
    else if (!(target instanceof Map)) throw new UnsupportedError(`${fmt}: BUILD at byte ${at} sets the state of ${describeValue(target)}, which onebit does not support.`);
  };

  for (;;) {
    at = reader.offset;
    op = reader.u8('pickle opcode');
    switch (op) {
      case OP.PROTO: {
        const protocol = reader.u8('pickle protocol');
        if (protocol > HIGHEST_PROTOCOL) throw new UnsupportedError(`${fmt}: pickle protocol ${protocol} at byte ${at} is newer than protocol ${HIGHEST_PROTOCOL}, the highest onebit reads.`);
        break;
      }
      case OP.FRAME: {
        const size = reader.u64('pickle frame length');
        reader.need(size, 'pickle frame');
        break;
      }
      case OP.STOP:
        if (marks.length) fail(`STOP at byte ${at} leaves ${marks.length} MARK(s) open.`);
        if (stack.length !== 1) fail(`STOP at byte ${at} finds ${stack.length} values on the stack instead of 1.`);
        refuseBareGlobals(stack[0], pending);
        return stack[0];
      case OP.MARK:
        if (marks.length >= limits.maxMarkDepth) throw new LimitError(`${fmt}: more than ${limits.maxMarkDepth} nested MARKs at byte ${at}; the pickle is nested too deeply to load safely.`);
        marks.push(stack.length);
        break;
      case OP.POP:
        if (stack.length > floor()) stack.pop();
        else popMark();
        break;
      case OP.POP_MARK:
        popMark();
        break;
      case OP.DUP:
        push(top());
        break;

      // numbers
      case OP.NONE: push(null); break;
      case OP.NEWTRUE: push(true); break;
      case OP.NEWFALSE: push(false); break;
      case OP.BININT: push(reader.i32('BININT')); break;
      case OP.BININT1: push(reader.u8('BININT1')); break;
      case OP.BININT2: push(reader.u16('BININT2')); break;
      case OP.INT: {
        const digits = line('INT');
        push(digits === '00' ? false : digits === '01' ? true : parseInteger(digits));
        break;
      }
      case OP.LONG:
        push(parseInteger(line('LONG').replace(/L$/, '')));
        break;
      case OP.LONG1:
      case OP.LONG4: {
        const size = op === OP.LONG1 ? reader.u8('LONG1 length') : reader.i32('LONG4 length');
        if (size < 0) fail(`LONG4 at byte ${at} has a negative length ${size}.`);
        if (size > limits.maxIntBytes) throw new LimitError(`${fmt}: a ${size}-byte integer at byte ${at} exceeds the ${limits.maxIntBytes}-byte limit.`);
        push(decodeLong(reader.bytesView(size, opName(op)!)));
        break;
      }
      case OP.BINFLOAT: {
        const little = reader.littleEndian;
        reader.littleEndian = false;
        try {
          push(reader.f64('BINFLOAT'));
        } finally {
          reader.littleEndian = little;
        }
        break;
      }
      case OP.FLOAT: {
        const t = line('FLOAT').trim();
        const v = /^[-+]?inf$/i.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : /^[-+]?nan$/i.test(t) ? Number.NaN : Number(t);
        if (t === '' || (Number.isNaN(v) && !/nan$/i.test(t))) fail(`FLOAT at byte ${at} holds '${t.slice(0, 40)}', which is not a number.`);
        push(v);
        break;
      }

      // strings and bytes
      case OP.BINUNICODE: push(text(reader.bytesView(reader.u32('BINUNICODE length'), 'BINUNICODE'))); break;
      case OP.SHORT_BINUNICODE: push(text(reader.bytesView(reader.u8('SHORT_BINUNICODE length'), 'SHORT_BINUNICODE'))); break;
      case OP.BINUNICODE8: push(text(reader.bytesView(reader.u64('BINUNICODE8 length'), 'BINUNICODE8'))); break;
      case OP.UNICODE:
        push(decodeRawUnicodeEscape(line('UNICODE'), (escape) => fail(`UNICODE at byte ${at} holds the escape ${escape}, beyond U+10FFFF.`)));
        break;
      case OP.BINSTRING: {
        const size = reader.i32('BINSTRING length');
        if (size < 0) fail(`BINSTRING at byte ${at} has a negative length ${size}.`);
        push(pythonTwoString(reader.bytesView(size, 'BINSTRING')));
        break;
      }
      case OP.SHORT_BINSTRING: push(pythonTwoString(reader.bytesView(reader.u8('SHORT_BINSTRING length'), 'SHORT_BINSTRING'))); break;
      case OP.STRING: {
        const raw = line('STRING');
        const quote = raw[0];
        if (raw.length < 2 || (quote !== '"' && quote !== "'") || raw[raw.length - 1] !== quote) fail(`STRING at byte ${at} is not a quoted string.`);
        push(pythonTwoString(unescapeBytes(raw.slice(1, -1))));
        break;
      }
      case OP.BINBYTES: push(reader.bytesView(reader.u32('BINBYTES length'), 'BINBYTES').slice()); break;
      case OP.SHORT_BINBYTES: push(reader.bytesView(reader.u8('SHORT_BINBYTES length'), 'SHORT_BINBYTES').slice()); break;
      case OP.BINBYTES8: push(reader.bytesView(reader.u64('BINBYTES8 length'), 'BINBYTES8').slice()); break;
      case OP.BYTEARRAY8: push(reader.bytesView(reader.u64('BYTEARRAY8 length'), 'BYTEARRAY8').slice()); break;
      case OP.NEXT_BUFFER: throw new UnsupportedError(`${fmt}: NEXT_BUFFER at byte ${at} refers to an out-of-band buffer, which checkpoints never use and onebit does not support.`);
      case OP.READONLY_BUFFER: top(); break;

      // containers
      case OP.EMPTY_TUPLE: push([]); break;
      case OP.TUPLE1: push([pop()]); break;
      case OP.TUPLE2: { const b = pop(); const a = pop(); push([a, b]); break; }
      case OP.TUPLE3: { const c = pop(); const b = pop(); const a = pop(); push([a, b, c]); break; }
      case OP.TUPLE: push(popMark()); break;
      case OP.EMPTY_LIST: push([]); break;
      case OP.LIST: push(popMark()); break;
      case OP.APPEND: {
        const value = pop();
        const list = listOf(top());
        if (!list) fail(`APPEND at byte ${at} appends to ${describeValue(top())}, not a list.`);
        list!.push(value);
        break;
      }
      case OP.APPENDS: {
        const values = popMark();
        const list = listOf(top());
        if (!list) fail(`APPENDS at byte ${at} appends to ${describeValue(top())}, not a list.`);
        for (const v of values) list!.push(v);
        break;
      }
      case OP.EMPTY_DICT: push(new Map()); break;
      case OP.DICT: push(pairsToMap(popMark(), new Map(), fail)); break;
      case OP.SETITEM: {
        const value = pop();
        const key = pop();
        const dict = dictOf(top());
        if (!dict) fail(`SETITEM at byte ${at} stores into ${describeValue(top())}, not a dict.`);
        dict!.set(key, value);
        break;
      }
      case OP.SETITEMS: {
        const pairs = popMark();
        const dict = dictOf(top());
        if (!dict) fail(`SETITEMS at byte ${at} stores into ${describeValue(top())}, not a dict.`);
        pairsToMap(pairs, dict!, fail);
        break;
      }
      case OP.EMPTY_SET: push(new Set()); break;
      case OP.FROZENSET: push(new Set(popMark())); break;
      case OP.ADDITEMS: {
        const values = popMark();
        const set = top();
        if (!(set instanceof Set)) fail(`ADDITEMS at byte ${at} adds to ${describeValue(set)}, not a set.`);
        for (const v of values) (set as Set<unknown>).add(v);
        break;
      }

      // memo
      case OP.PUT: memoPut(Number(parseInteger(line('PUT')))); break;
      case OP.BINPUT: memoPut(reader.u8('BINPUT index')); break;
      case OP.LONG_BINPUT: memoPut(reader.u32('LONG_BINPUT index')); break;
      case OP.MEMOIZE: memoPut(memo.size); break;
      case OP.GET: memoGet(Number(parseInteger(line('GET')))); break;
      case OP.BINGET: memoGet(reader.u8('BINGET index')); break;
      case OP.LONG_BINGET: memoGet(reader.u32('LONG_BINGET index')); break;

      // globals and calls: only what the allow-list returned can be called
      case OP.GLOBAL: {
        const module = line('GLOBAL module');
        push(global(module, line('GLOBAL name')));
        break;
      }
      case OP.STACK_GLOBAL: {
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail(`STACK_GLOBAL at byte ${at} names ${describeValue(module)}.${describeValue(name)} instead of two strings.`);
        push(global(module as string, name as string));
        break;
      }
      case OP.EXT1:
      case OP.EXT2:
      case OP.EXT4: {
        const code = op === OP.EXT1 ? reader.u8() : op === OP.EXT2 ? reader.u16() : reader.i32();
        throw new SecurityError(`${fmt}: ${opName(op)} at byte ${at} refers to copyreg extension code ${code}, which is not on the allow-list; onebit never executes code from a checkpoint.`);
      }
      case OP.REDUCE: {
        const args = pop();
        const callable = pop();
        push(call(callable, args, 'REDUCE'));
        break;
      }
      case OP.NEWOBJ: {
        const args = pop();
        const cls = pop();
        push(construct(cls, args, 'NEWOBJ'));
        break;
      }
      case OP.NEWOBJ_EX: {
        const kwargs = pop();
        const args = pop();
        const cls = pop();
        if (!(kwargs instanceof Map) || kwargs.size) throw new UnsupportedError(`${fmt}: NEWOBJ_EX at byte ${at} passes keyword arguments, which onebit does not support.`);
        push(construct(cls, args, 'NEWOBJ_EX'));
        break;
      }
      case OP.INST: {
        const module = line('INST module');
        const cls = global(module, line('INST name'));
        push(call(cls, popMark(), 'INST'));
        break;
      }
      case OP.OBJ: {
        const [cls, ...args] = popMark();
        push(call(cls, args, 'OBJ'));
        break;
      }
      case OP.BUILD: {
        const state = pop();
        build(top(), state);
        break;
      }
      case OP.PERSID:
      case OP.BINPERSID: {
        const pid = op === OP.PERSID ? line('PERSID') : pop();
        if (!options.persistentLoad) throw new UnsupportedError(`${fmt}: ${opName(op)} at byte ${at} refers to external data, which this pickle cannot have.`);
        push(options.persistentLoad(pid, at));
        break;
      }
      default:
        fail(`byte 0x${op.toString(16).padStart(2, '0')} at offset ${at} is not a pickle opcode (corrupt file or not a pickle).`);
    }
  }
}

/** The list APPEND(S) extends: a list, or the list items of an opaque list subclass. */
function listOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  return value instanceof OpaqueObject ? value.listItems : undefined;
}

/** The dict SETITEM(S) fills: a dict, or the dict items of an opaque dict subclass. */
function dictOf(value: unknown): Map<unknown, unknown> | undefined {
  if (value instanceof Map) return value;
  return value instanceof OpaqueObject ? value.dictItems : undefined;
}

/**
 * Throws the SecurityError of the first OpaqueGlobal left as a bare value in `root` (a reference to a
 * function or class outside the allow-list that was never only the class of an OpaqueObject).
 * Iterative, so deep nesting cannot overflow the call stack.
 */
function refuseBareGlobals(root: unknown, pending: ReadonlySet<OpaqueGlobal>): void {
  const seen = new Set<object>();
  const todo: unknown[] = [root];
  while (todo.length) {
    const value = todo.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (value instanceof OpaqueGlobal) throw new SecurityError(([...pending][0] ?? value).refusal());
    if (Array.isArray(value) || value instanceof Set) for (const v of value) todo.push(v);
    else if (value instanceof Map) for (const [k, v] of value) todo.push(k, v);
    else if (value instanceof OpaqueObject) {
      todo.push(value.args, value.state, value.dictItems, value.listItems);
    }
  }
}

/** A number when the integer is exact as one, else a bigint. */
export function normalizeInt(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** Little-endian two's-complement bytes (LONG1/LONG4) to an integer. */
export function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  if (bytes[bytes.length - 1]! & 0x80) value -= 1n << BigInt(8 * bytes.length);
  return normalizeInt(value);
}

function pairsToMap(items: unknown[], into: Map<unknown, unknown>, fail: (m: string) => never): Map<unknown, unknown> {
  if (items.length % 2) fail(`a dict has ${items.length} items after its MARK, an odd number.`);
  for (let i = 0; i < items.length; i += 2) into.set(items[i], items[i + 1]);
  return into;
}

/** Python 2 `str` (BINSTRING etc.): UTF-8 when valid, else Latin-1, as torch.load(encoding='utf-8') tries. */
function pythonTwoString(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return s;
  }
}

/** Python `raw-unicode-escape`: Latin-1 text with \uXXXX and \UXXXXXXXX escapes. */
function decodeRawUnicodeEscape(raw: string, outOfRange: (escape: string) => never): string {
  return raw.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (escape, u4: string | undefined, u8: string | undefined) => {
    const codePoint = Number.parseInt((u4 ?? u8)!, 16);
    // \U escapes can name values past the last code point; String.fromCodePoint would throw a RangeError
    return codePoint > 0x10ffff ? outOfRange(escape) : String.fromCodePoint(codePoint);
  });
}

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34 };

/** Python `escape_decode` of a protocol-0 STRING body into bytes. */
function unescapeBytes(body: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out.push(body.charCodeAt(i) & 0xff);
      continue;
    }
    const e = body[++i]!;
    if (e in SIMPLE_ESCAPES) out.push(SIMPLE_ESCAPES[e]!);
    else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 1, i + 3))) {
      out.push(Number.parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (/[0-7]/.test(e)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i))![0];
      out.push(Number.parseInt(oct, 8) & 0xff);
      i += oct.length - 1;
    } else if (e === '\n') continue;
    else out.push(92, body.charCodeAt(i) & 0xff);
  }
  return Uint8Array.from(out);
}
