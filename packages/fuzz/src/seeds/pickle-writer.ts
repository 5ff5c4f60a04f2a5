/**
 * Writes pickle bytes opcode by opcode (names as in CPython's pickletools), so seeds, generators
 * and security tests can say exactly which program a hostile pickle runs: a GLOBAL naming
 * os.system followed by REDUCE is the classic `__reduce__` payload. Also wraps a pickled object
 * in the legacy torch.save layout and in the torch zip layout.
 */
import { zipSync } from 'fflate';
import { concatBytes } from '../concat-bytes.js';

export class PickleWriter {
  private readonly out: number[] = [];

  /** Raw bytes, for opcodes without a helper or for deliberately broken programs. */
  raw(...bytes: number[]): this {
    this.out.push(...bytes);
    return this;
  }
  proto(version = 2): this {
    return this.raw(0x80, version);
  }
  /** GLOBAL: `c<module>\n<name>\n`. */
  global(module: string, name: string): this {
    return this.raw(0x63, ...latin1(`${module}\n${name}\n`));
  }
  /** STACK_GLOBAL with the two names pushed as SHORT_BINUNICODE strings. */
  stackGlobal(module: string, name: string): this {
    return this.str(module).str(name).raw(0x93);
  }
  /** INST: `i<module>\n<name>\n` called on the items since the last MARK. */
  inst(module: string, name: string): this {
    return this.raw(0x69, ...latin1(`${module}\n${name}\n`));
  }
  str(text: string): this {
    const bytes = new TextEncoder().encode(text);
    if (bytes.length < 256) return this.raw(0x8c, bytes.length, ...bytes);
    return this.raw(0x58, ...le32(bytes.length), ...bytes);
  }
  int(value: number): this {
    if (value >= 0 && value < 256) return this.raw(0x4b, value);
    return this.raw(0x4a, ...le32(value));
  }
  /** LONG1 with the given little-endian two's-complement bytes. */
  long1(bytes: readonly number[]): this {
    return this.raw(0x8a, bytes.length, ...bytes);
  }
  none(): this { return this.raw(0x4e); }
  mark(): this { return this.raw(0x28); }
  tuple(): this { return this.raw(0x74); }
  tuple1(): this { return this.raw(0x85); }
  tuple2(): this { return this.raw(0x86); }
  emptyTuple(): this { return this.raw(0x29); }
  emptyList(): this { return this.raw(0x5d); }
  emptyDict(): this { return this.raw(0x7d); }
  append(): this { return this.raw(0x61); }
  setitem(): this { return this.raw(0x73); }
  setitems(): this { return this.raw(0x75); }
  dup(): this { return this.raw(0x32); }
  reduce(): this { return this.raw(0x52); }
  newobj(): this { return this.raw(0x81); }
  build(): this { return this.raw(0x62); }
  binpersid(): this { return this.raw(0x51); }
  binput(index: number): this { return this.raw(0x71, index); }
  binget(index: number): this { return this.raw(0x68, index); }
  stop(): this { return this.raw(0x2e); }

  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

function latin1(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

function le32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

/** The legacy torch magic number 0x1950a86a20f9469cfc6c as a LONG1 argument. */
const LEGACY_MAGIC = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

/** A legacy torch.save file around `objectPickle` (a whole pickle ending in STOP) with no storages. */
export function legacyTorchFile(objectPickle: Uint8Array): Uint8Array {
  const parts = [
    new PickleWriter().proto(2).long1(LEGACY_MAGIC).stop().bytes(),
    new PickleWriter().proto(2).raw(0x4d, 0xe9, 0x03).stop().bytes(), // BININT2 1001
    new PickleWriter().proto(2).emptyDict().stop().bytes(),
    objectPickle,
    new PickleWriter().proto(2).emptyList().stop().bytes(),
  ];
  return concatBytes(...parts);
}

/** A torch zip (torch >= 1.6 layout) with `archive/data.pkl` and any extra entries, stored uncompressed. */
export function torchZipFile(objectPickle: Uint8Array, extra: Record<string, Uint8Array> = {}): Uint8Array {
  return zipSync({ 'archive/data.pkl': objectPickle, 'archive/version': new TextEncoder().encode('3\n'), ...extra }, { level: 0, mtime: new Date(2024, 0, 1) });
}
