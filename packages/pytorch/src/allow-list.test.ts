/**
 * Tests of the allow-list: the malicious fixtures (os.system, posix.system, builtins.eval,
 * builtins.getattr, subprocess.Popen, torch.load; bare and inside zip and legacy torch files) are
 * refused with a SecurityError naming the global (EXPECTED FAILURE), and the allowed pure-data
 * globals build the right values.
 */
import { readFileSync } from 'node:fs';
import { ByteReader, SecurityError, UnsupportedError } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import { ALLOWED_GLOBALS, allowListedGlobals } from './allow-list.js';
import { readTorch } from './checkpoint.js';
import { unpickle } from './unpickler.js';

const dir = new URL('../../../test-fixtures/pytorch/', import.meta.url);
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, dir)));
const load = (bytes: Uint8Array | string): unknown =>
  unpickle(new ByteReader(typeof bytes === 'string' ? Uint8Array.from(bytes, (c) => c.charCodeAt(0)) : bytes, 'pickle'), { findGlobal: allowListedGlobals('pickle') });
const refusal = (global: string, offset: number, format = 'pickle'): string =>
  `${format}: global '${global}' at byte ${offset} is not on the allow-list; onebit never executes code from a checkpoint.`;

describe('EXPECTED FAILURE: malicious pickles are refused, naming the global', () => {
  const cases: [string, string, number][] = [
    ['evil-os-system.pkl', 'os.system', 2],
    ['evil-posix-system.pkl', 'posix.system', 2],
    ['evil-eval.pkl', 'builtins.eval', 13],
    ['evil-getattr.pkl', 'builtins.getattr', 32],
    ['evil-popen.pkl', 'subprocess.Popen', 2],
    ['evil-torch-load.pkl', 'torch.serialization.load', 2],
  ];
  for (const [file, global, offset] of cases) {
    it(`${file}: ${global}`, () => {
      expect(() => load(fixture(file))).toThrow(SecurityError);
      expect(() => load(fixture(file))).toThrow(refusal(global, offset));
    });
  }
  it('inside a torch zip file (STACK_GLOBAL, protocol 4)', () => {
    expect(() => readTorch(fixture('evil-in-zip.pt'))).toThrow(SecurityError);
    expect(() => readTorch(fixture('evil-in-zip.pt'))).toThrow(/^torch-zip archive\/data\.pkl: global 'posix\.system' at byte \d+ is not on the allow-list/);
  });
  it('inside a legacy torch file', () => {
    expect(() => readTorch(fixture('evil-legacy.pt'))).toThrow(SecurityError);
    expect(() => readTorch(fixture('evil-legacy.pt'))).toThrow(/^torch-legacy: global 'subprocess\.Popen' at byte \d+ is not on the allow-list/);
  });
  it('refuses other builtins and Python 2 spellings alike', () => {
    expect(() => load('c__builtin__\neval\n.')).toThrow(refusal('builtins.eval', 0));
    expect(() => load('cbuiltins\nexec\n.')).toThrow(refusal('builtins.exec', 0));
    expect(() => load('ccopy_reg\n_reconstructor\n.')).toThrow(refusal('copyreg._reconstructor', 0));
    expect(() => load('ctorch\nload\n.')).toThrow(refusal('torch.load', 0));
    expect(() => load('(ios\nsystem\nS"echo"\n.')).toThrow(refusal('os.system', 1));
  });
});

describe('allowed globals', () => {
  it('lists what torch.load(weights_only=True) needs', () => {
    for (const g of ['collections.OrderedDict', 'torch._utils._rebuild_tensor_v2', 'torch._utils._rebuild_parameter', 'torch._utils._rebuild_parameter_with_state', 'torch.FloatStorage', 'torch.BFloat16Storage', 'torch.BoolStorage', 'torch.Size', '_codecs.encode']) {
      expect(ALLOWED_GLOBALS).toContain(g);
    }
    expect(ALLOWED_GLOBALS.some((g) => /^(os|posix|subprocess|sys)\.|eval|exec|getattr|import/.test(g))).toBe(false);
  });
  it('builds OrderedDict, torch.Size, sets and bytes as plain data', () => {
    expect(load('ccollections\nOrderedDict\n((lp0\n(S"a"\nI1\ntp1\na(S"b"\nI2\ntp2\natR.')).toEqual(new Map([['a', 1], ['b', 2]]));
    expect(load('ctorch\nSize\n((I2\nI3\nttR.')).toEqual([2, 3]);
    expect(load('cbuiltins\nset\n((I1\nI1\nltR.')).toEqual(new Set([1]));
    expect(load('c_codecs\nencode\n(V\u00ff\nVlatin1\ntR.')).toEqual(new Uint8Array([255]));
    expect(load('c__builtin__\nbytes\n)R.')).toEqual(new Uint8Array(0));
  });
  it('refuses non-data uses of the pure-data builtins', () => {
    expect(() => load('c_codecs\nencode\n(Vx\nVrot13\ntR.')).toThrow(UnsupportedError);
    expect(() => load('c_codecs\nencode\n(Vx\nVrot13\ntR.')).toThrow("pickle: _codecs.encode at byte 28 uses the encoding 'rot13'; onebit decodes only latin1 and utf-8.");
    expect(() => load('cbuiltins\nbytes\n(I5\ntR.')).toThrow(UnsupportedError);
  });
  it('refuses BUILD on anything but dicts and tensors', () => {
    expect(() => unpickle(new ByteReader(Uint8Array.from('(lN}b.', (c) => c.charCodeAt(0)), 'pickle'), { findGlobal: allowListedGlobals('pickle') })).toThrow(UnsupportedError);
  });
});
