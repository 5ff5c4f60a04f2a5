/**
 * A fast-check generator of pickle programs: protocol header, then a random mix of pushes
 * (ints, strings, bytes, containers), stack and memo operations, MARK nesting, allowed and
 * forbidden globals with REDUCE/NEWOBJ/BUILD, torch storage persistent ids, and the two shapes
 * that attack a loader's resources — deep nesting and a DUP/TUPLE2 chain whose expansion doubles
 * at every step — ending in STOP (sometimes missing, to test truncation).
 */
import fc from 'fast-check';
import { PickleWriter } from '../seeds/pickle-writer.js';

const GLOBALS: readonly [string, string][] = [
  ['collections', 'OrderedDict'], ['torch._utils', '_rebuild_tensor_v2'], ['torch._utils', '_rebuild_parameter'],
  ['torch', 'FloatStorage'], ['torch', 'LongStorage'], ['torch', 'Size'], ['torch', 'device'], ['_codecs', 'encode'],
  ['builtins', 'set'], ['builtins', 'bytes'], ['__builtin__', 'set'],
  ['os', 'system'], ['builtins', 'eval'], ['builtins', 'getattr'], ['subprocess', 'Popen'], ['posix', 'system'],
  ['torch', 'load'], ['torch.nn.modules.conv', 'Conv2d'], ['__main__', 'Net'],
];

type Step = (w: PickleWriter) => void;

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((v): Step => (w) => w.raw(0x4a, v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff)),
  fc.nat(255).map((v): Step => (w) => w.int(v)),
  fc.string({ maxLength: 12 }).map((s): Step => (w) => w.str(s)),
  fc.uint8Array({ maxLength: 12 }).map((b): Step => (w) => w.raw(0x43, b.length, ...b)),
  fc.array(fc.nat(255), { maxLength: 12 }).map((b): Step => (w) => w.long1(b)),
  fc.constantFrom<Step>(
    (w) => w.none(), (w) => w.mark(), (w) => w.tuple(), (w) => w.tuple1(), (w) => w.tuple2(), (w) => w.emptyTuple(),
    (w) => w.emptyList(), (w) => w.emptyDict(), (w) => w.append(), (w) => w.setitem(), (w) => w.setitems(),
    (w) => w.raw(0x65), (w) => w.raw(0x6c), (w) => w.raw(0x64), (w) => w.raw(0x30), (w) => w.raw(0x31),
    (w) => w.dup(), (w) => w.reduce(), (w) => w.newobj(), (w) => w.build(), (w) => w.binpersid(), (w) => w.raw(0x8f), (w) => w.raw(0x90),
    (w) => w.raw(0x94), (w) => w.raw(0x88), (w) => w.raw(0x89),
    (w) => w.raw(0x56, ...Array.from('\\U00110000\n', (c) => c.charCodeAt(0))),
    (w) => w.raw(0x53, ...Array.from("'a\\x4'\n", (c) => c.charCodeAt(0))),
    (w) => w.raw(0x46, ...Array.from('1e999\n', (c) => c.charCodeAt(0))),
    (w) => w.raw(0x49, ...Array.from('99999999999999999999\n', (c) => c.charCodeAt(0))),
  ),
  fc.nat(8).map((i): Step => (w) => w.binput(i)),
  fc.nat(8).map((i): Step => (w) => w.binget(i)),
  fc.constantFrom(...GLOBALS).map(([m, n]): Step => (w) => w.global(m, n)),
  fc.constantFrom(...GLOBALS).map(([m, n]): Step => (w) => w.stackGlobal(m, n)),
  // ('storage', torch.FloatStorage, key, 'cpu', numel) persistent id
  fc.tuple(fc.constantFrom('0', '1', 'k'), fc.constantFrom(0, 1, 4, 2 ** 31, 2 ** 52)).map(([key, numel]): Step => (w) => {
    w.mark().str('storage').global('torch', 'FloatStorage').str(key).str('cpu');
    if (numel < 2 ** 31) w.int(numel);
    else w.long1([0, 0, 0, 0, 0, 0, 0x10, 0]);
    w.tuple().binpersid();
  }),
  // deep nesting: n lists, each appended into the one below
  fc.integer({ min: 1, max: 3000 }).map((n): Step => (w) => {
    for (let i = 0; i < n; i++) w.emptyList();
    for (let i = 1; i < n; i++) w.append();
  }),
  // x, (x, x), ((x, x), (x, x)), ...: n steps describe 2^n leaves in 2n bytes
  fc.integer({ min: 1, max: 60 }).map((n): Step => (w) => {
    for (let i = 0; i < n; i++) w.dup().tuple2();
  }),
);

/** A pickle program of protocol 2-5 with up to `maxSteps` steps, usually ending in STOP. */
export function pickleProgram(maxSteps = 24): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.integer({ min: 2, max: 5 }), fc.array(step, { maxLength: maxSteps }), fc.boolean(), fc.nat(9)).map(([protocol, steps, emptyDictFirst, stopChance]) => {
    const w = new PickleWriter().proto(protocol);
    if (emptyDictFirst) w.emptyDict();
    for (const s of steps) s(w);
    if (stopChance > 0) w.stop();
    return w.bytes();
  });
}
