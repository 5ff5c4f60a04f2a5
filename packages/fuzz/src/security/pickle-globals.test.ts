/**
 * Security cases for the pickle readers: pickles that name os.system, builtins.eval,
 * builtins.getattr, subprocess.Popen, `__reduce__` payloads (GLOBAL + REDUCE), and torch globals
 * outside the allow-list are refused with a SecurityError naming the global — as a bare pickle,
 * inside a legacy torch file and inside a torch zip — and nothing they name is ever run.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ByteReader, SecurityError } from '@onebit/core';
import { allowListedGlobals, readTorch, unpickle } from '@onebit/pytorch';
import { PickleWriter, legacyTorchFile, torchZipFile } from '../seeds/pickle-writer.js';

const scratch = mkdtempSync(join(tmpdir(), 'onebit-pickle-security-'));
const marker = join(scratch, 'pwned');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `module.name(arg)` the way Python's __reduce__ pickles it: GLOBAL, args tuple, REDUCE. */
function reducePayload(module: string, name: string, arg: string, stackGlobal = false): Uint8Array {
  const w = new PickleWriter().proto(stackGlobal ? 4 : 2);
  if (stackGlobal) w.stackGlobal(module, name);
  else w.global(module, name);
  return w.str(arg).tuple1().reduce().stop().bytes();
}

const readPickle = (bytes: Uint8Array): unknown => unpickle(new ByteReader(bytes, 'pickle'), { findGlobal: allowListedGlobals('pickle') });

const CASES: [string, string, string][] = [
  ['os', 'system', `touch ${marker}`],
  ['posix', 'system', `touch ${marker}`],
  ['builtins', 'eval', `open(${JSON.stringify(marker)}, 'w')`],
  ['builtins', 'exec', `open(${JSON.stringify(marker)}, 'w')`],
  ['builtins', 'getattr', 'system'],
  ['__builtin__', 'eval', '1'],
  ['subprocess', 'Popen', 'touch'],
  ['torch', 'load', 'evil.pt'],
  ['torch.nn.modules.conv', 'Conv2d', '3'],
  ['torch.serialization', '_get_restore_location', 'cpu'],
];

describe('EXPECTED FAILURE: forbidden pickle globals', () => {
  for (const [module, name, arg] of CASES) {
    const qualified = `${module === '__builtin__' ? 'builtins' : module}.${name}`;
    it(`refuses ${module}.${name} in a bare pickle (GLOBAL and STACK_GLOBAL)`, () => {
      expect(() => readPickle(reducePayload(module, name, arg))).toThrow(new SecurityError(`pickle: global '${qualified}' at byte 2 is not on the allow-list; onebit never executes code from a checkpoint.`));
      expect(() => readPickle(reducePayload(module, name, arg, true))).toThrow(SecurityError);
      expect(() => readPickle(reducePayload(module, name, arg, true))).toThrow(`global '${qualified}'`);
    });
    it(`refuses ${module}.${name} inside legacy and zip torch files`, () => {
      expect(() => readTorch(legacyTorchFile(reducePayload(module, name, arg)))).toThrow(`torch-legacy: global '${qualified}' at byte`);
      expect(() => readTorch(torchZipFile(reducePayload(module, name, arg)))).toThrow(`torch-zip archive/data.pkl: global '${qualified}' at byte 2 is not on the allow-list`);
    });
  }

  it('refuses INST and a __reduce__ payload hidden under an allowed OrderedDict', () => {
    const inst = new PickleWriter().proto(2).mark().str('id').inst('os', 'system').stop().bytes();
    expect(() => readPickle(inst)).toThrow(new SecurityError("pickle: global 'os.system' at byte 7 is not on the allow-list; onebit never executes code from a checkpoint."));
    const nested = new PickleWriter().proto(2).global('collections', 'OrderedDict').emptyTuple().reduce()
      .str('fc.weight').global('subprocess', 'Popen').str('sh').tuple1().reduce().setitem().stop().bytes();
    expect(() => readTorch(legacyTorchFile(nested))).toThrow("torch-legacy: global 'subprocess.Popen' at byte");
  });

  it('refuses calling an allow-listed data-only torch global', () => {
    const call = new PickleWriter().proto(2).global('torch', 'FloatStorage').emptyTuple().reduce().stop().bytes();
    expect(() => readPickle(call)).toThrow(new SecurityError("pickle: REDUCE at byte 23 calls 'torch.FloatStorage', which onebit allows only as data, not as a call."));
  });

  it('never ran anything the payloads named', () => {
    expect(existsSync(marker)).toBe(false);
  });
});
