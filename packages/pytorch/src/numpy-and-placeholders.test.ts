/**
 * Checkpoints as people save them (shared cases convert/09, 10, 11): numpy scalars, arrays and dtypes
 * are built as plain data; instances of classes outside the allow-list (Lightning's AttributeDict,
 * argparse.Namespace) are inert placeholders that never block the state_dict; a whole pickled
 * nn.Module is refused with the way forward; and no global outside the allow-list is ever called.
 */
import { readFileSync } from 'node:fs';
import { ByteReader, FormatError, SecurityError, TensorBudget, UnsupportedError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { allowListedGlobals, buildAllowed } from './allow-list.js';
import { readTorch } from './checkpoint.js';
import { OpaqueObject } from './pickle-value.js';
import { toPickleValue } from './torch-value.js';
import { unpickle } from './unpickler.js';

const shared = (relative: string): Uint8Array => new Uint8Array(readFileSync(sharedPath(`cases/convert/${relative}`)));
const load = (text: string): unknown =>
  unpickle(new ByteReader(Uint8Array.from(text, (c) => c.charCodeAt(0)), 'pickle'), { findGlobal: allowListedGlobals('pickle'), build: buildAllowed('pickle') });

/** Protocol-2 pickle text of `numpy.dtype(code)` with its BUILD state (byte order `order`). */
const dtype = (code: string, order = '<'): string => `cnumpy\ndtype\nX${le32(code.length)}${code}\x89\x88\x87R(K\x03X\x01\x00\x00\x00${order}NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb`;
const le32 = (n: number): string => String.fromCharCode(n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24);
const bytesOp = (b: number[]): string => `C${String.fromCharCode(b.length)}${String.fromCharCode(...b)}`;

describe('numpy values are plain data', () => {
  it('09 ckpt-npscalar.pth: best_acc as a number next to the state_dict', () => {
    const ckpt = readTorch(shared('09-numpy-scalar-in-checkpoint/ckpt-npscalar.pth'));
    expect(ckpt.metadata).toMatchObject({ epoch: 30, best_acc: 0.9312 });
    expect(ckpt.tensors.size).toBeGreaterThan(0);
    expect(ckpt.stateDictKey).toBe('state_dict');
    expect(ckpt.placeholders.size).toBe(0);
  });
  it('09 ckpt-nparray.pth: lr_history as a float32 tensor', () => {
    const ckpt = readTorch(shared('09-numpy-scalar-in-checkpoint/ckpt-nparray.pth'));
    const lr = (ckpt.root as Map<unknown, unknown>).get('lr_history');
    expect(lr).toEqual({ dtype: 'float32', dims: [2], data: Float32Array.from([0.1, 0.01]) });
    expect(ckpt.tensors.size).toBeGreaterThan(0);
  });
  it('scalars of every integer, float and bool dtype, both byte orders', () => {
    const scalar = (code: string, b: number[], order = '<'): unknown => load(`\x80\x02cnumpy.core.multiarray\nscalar\n${dtype(code, order)}${bytesOp(b)}\x86R.`);
    expect(scalar('f8', [0, 0, 0, 0, 0, 0, 0xf8, 0x3f])).toBe(1.5);
    expect(scalar('f8', [0x3f, 0xf8, 0, 0, 0, 0, 0, 0], '>')).toBe(1.5);
    expect(scalar('f4', [0, 0, 0xc0, 0x3f])).toBe(1.5);
    expect(scalar('f2', [0x00, 0x3e])).toBe(1.5);
    expect(scalar('i8', [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).toBe(-2);
    expect(scalar('i8', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])).toBe(2n ** 63n - 1n);
    expect(scalar('u1', [200], '|')).toBe(200);
    expect(scalar('b1', [1], '|')).toBe(true);
    const complex = scalar('c16', new Array(16).fill(0));
    expect(complex).toBeInstanceOf(OpaqueObject);
    expect((complex as OpaqueObject).className).toBe("numpy scalar of dtype '<c16'");
    expect(() => scalar('f8', [1, 2, 3])).toThrow(new FormatError('pickle', "numpy scalar of dtype '<f8' at byte 88 holds 3 bytes instead of 8 bytes.", 88));
  });
  it('numpy 2 spells the module numpy._core', () => {
    expect(load(`\x80\x02cnumpy._core.multiarray\nscalar\n${dtype('i4')}${bytesOp([7, 0, 0, 0])}\x86R.`)).toBe(7);
  });
  it('a Fortran-order 2×3 int16 array becomes C order; a big-endian one is swapped', () => {
    const arr = (code: string, order: string, fortran: boolean, b: number[]): unknown => {
      return load(`\x80\x02cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x00\x85${bytesOp([98])}\x87R(K\x01K\x02K\x03\x86${dtype(code, order)}${fortran ? '\x88' : '\x89'}${bytesOp(b)}tb.`);
    };
    // column-major [[1,2,3],[4,5,6]] is stored 1,4,2,5,3,6
    const f = arr('i2', '<', true, [1, 0, 4, 0, 2, 0, 5, 0, 3, 0, 6, 0]);
    expect(readTorchOf(f)).toEqual({ dtype: 'int16', dims: [2, 3], data: Int16Array.from([1, 2, 3, 4, 5, 6]) });
    const big = readTorchOf(arr('i2', '>', false, [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6]));
    expect(big).toEqual({ dtype: 'int16', dims: [2, 3], data: Int16Array.from([1, 2, 3, 4, 5, 6]) });
  });
});

describe('classes outside the allow-list are inert placeholders', () => {
  it('10 attributedict-hparams.ckpt: the state_dict reads; hyper_parameters is a placeholder holding its items', () => {
    const ckpt = readTorch(shared('10-lightning-ckpt/attributedict-hparams.ckpt'));
    const plain = readTorch(shared('10-lightning-ckpt/plain-dict-hparams.ckpt'));
    expect([...ckpt.tensors.keys()]).toEqual([...plain.tensors.keys()]);
    for (const [k, t] of plain.tensors) expect(ckpt.tensors.get(k)).toEqual(t);
    expect(ckpt.placeholders).toEqual(new Map([['hyper_parameters', 'pytorch_lightning.utilities.parsing.AttributeDict']]));
    const hp = (ckpt.root as Map<unknown, unknown>).get('hyper_parameters') as OpaqueObject;
    expect(hp.dictItems).toEqual((plain.root as Map<unknown, unknown>).get('hyper_parameters'));
  });
  it('argparse.Namespace (NEWOBJ + BUILD) keeps its __dict__ and is never called', () => {
    const ns = load('\x80\x02}(X\x04\x00\x00\x00argscargparse\nNamespace\n)\x81}X\x02\x00\x00\x00lrG?\xb9\x99\x99\x99\x99\x99\x9as\x62u.') as Map<string, OpaqueObject>;
    expect(ns.get('args')!.className).toBe('argparse.Namespace');
    expect(ns.get('args')!.state).toEqual(new Map([['lr', 0.1]]));
  });
  it('using a placeholder as a tensor is an error', () => {
    const p = '\x80\x02ctorch._utils\n_rebuild_parameter\ncargparse\nNamespace\n)\x81\x85R.';
    expect(() => load(p)).toThrow(FormatError);
    expect(() => load(p)).toThrow("pickle: _rebuild_parameter at byte 58 gets an instance of 'argparse.Namespace' (a class outside the allow-list, kept as an inert placeholder) instead of a tensor.");
  });
  it('calling a global outside the allow-list, or keeping it bare, is still refused naming it', () => {
    expect(() => load('\x80\x02cargparse\nNamespace\n)R.')).toThrow(new SecurityError("pickle: global 'argparse.Namespace' at byte 2 is not on the allow-list; onebit never executes code from a checkpoint."));
    expect(() => load('\x80\x02]cos\nsystem\na.')).toThrow(new SecurityError("pickle: global 'os.system' at byte 3 is not on the allow-list; onebit never executes code from a checkpoint."));
    // a placeholder's state cannot smuggle a call: the REDUCE inside it is refused
    expect(() => load('\x80\x02cargparse\nNamespace\n)\x81cos\nsystem\nX\x02\x00\x00\x00ls\x85Rb.')).toThrow("global 'os.system' at byte 24");
  });
  it('11 full-model.pt: a whole pickled nn.Module is refused, saying to save model.state_dict()', () => {
    const read = (): unknown => readTorch(shared('11-full-pickled-module/full-model.pt'), { name: 'full-model.pt' });
    expect(read).toThrow(UnsupportedError);
    expect(read).toThrow("full-model.pt holds a whole pickled nn.Module ('tinynet.TinyNet') instead of a state_dict; onebit never runs a model's own code, so save the weights with torch.save(model.state_dict(), path) and convert that file.");
  });
});

/** Materialises a raw unpickled value the way readTorch does (numpy arrays → tensors). */
function readTorchOf(raw: unknown): unknown {
  return toPickleValue(raw, 'pickle', new TensorBudget(1 << 20));
}
