/** Tests of the .npy reader: hand-built v1/v2/v3 files, every supported dtype, the real reference logits, corrupt files. */
import { readFileSync } from 'node:fs';
import { FormatError, TruncatedError, UnsupportedError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { describe, expect, it } from 'vitest';
import { readNpy } from './npy.js';

/** A .npy file as numpy writes it: header padded with spaces and '\n' to a multiple of 64 bytes. */
function npy(descr: string, shape: string, data: Uint8Array, version = 1, fortran = 'False'): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
  const prefix = version === 1 ? 10 : 12;
  const total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const header = dict + ' '.repeat(total - prefix - dict.length - 1) + '\n';
  const out = new Uint8Array(total + data.length);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), prefix);
  out.set(data, total);
  return out;
}
const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

describe('readNpy on hand-built files', () => {
  it('reads <f4 in C order, header v1', () => {
    const t = readNpy(npy('<f4', '(2, 3)', bytesOf(new Float32Array([1, 2, 3, 4, 5, -6.5]))));
    expect(t.dtype).toBe('float32');
    expect(t.dims).toEqual([2, 3]);
    expect([...t.data]).toEqual([1, 2, 3, 4, 5, -6.5]);
  });

  it('reads v2 and v3 headers', () => {
    expect([...readNpy(npy('<f8', '(2,)', bytesOf(new Float64Array([0.1, -2])), 2)).data]).toEqual([0.1, -2]);
    expect(readNpy(npy('|u1', '(3,)', new Uint8Array([1, 2, 255]), 3)).dims).toEqual([3]);
  });

  it('reads integer, bool and half dtypes, scalars and empty arrays', () => {
    const i8 = readNpy(npy('<i8', '(2,)', bytesOf(new BigInt64Array([-1n, 5n]))));
    expect(i8.dtype).toBe('int64');
    expect([...i8.data]).toEqual([-1n, 5n]);
    expect([...readNpy(npy('<i4', '(2,)', bytesOf(new Int32Array([-7, 9])))).data]).toEqual([-7, 9]);
    expect([...readNpy(npy('|i1', '(2,)', new Uint8Array([255, 1]))).data]).toEqual([-1, 1]);
    expect(readNpy(npy('|b1', '(2,)', new Uint8Array([1, 0]))).dtype).toBe('bool');
    expect(readNpy(npy('<f2', '(1,)', new Uint8Array([0x00, 0x3c]))).dtype).toBe('float16');
    const scalar = readNpy(npy('<f4', '()', bytesOf(new Float32Array([3]))));
    expect(scalar.dims).toEqual([]);
    expect([...scalar.data]).toEqual([3]);
    expect(readNpy(npy('<f4', '(0, 10)', new Uint8Array(0))).dims).toEqual([0, 10]);
  });

  it('byte-swaps big-endian data', () => {
    const t = readNpy(npy('>i2', '(2,)', new Uint8Array([0x01, 0x02, 0xff, 0xfe])));
    expect([...t.data]).toEqual([0x0102, -2]);
    expect([...readNpy(npy('>f4', '(1,)', new Uint8Array([0x3f, 0x80, 0, 0]))).data]).toEqual([1]);
  });

  it('EXPECTED FAILURE: Fortran order and unknown dtypes are unsupported', () => {
    expect(() => readNpy(npy('<f4', '(1,)', new Uint8Array(4), 1, 'True'))).toThrow(UnsupportedError);
    expect(() => readNpy(npy('<c8', '(1,)', new Uint8Array(8)))).toThrow('NPY: dtype "<c8" in the header at byte 10 is not supported.');
    expect(() => readNpy(npy('|O', '(1,)', new Uint8Array(8)))).toThrow(UnsupportedError);
  });

  it('EXPECTED FAILURE: bad magic, truncated data, trailing bytes, malformed header', () => {
    expect(() => readNpy(new TextEncoder().encode('PK\x03\x04 not numpy'))).toThrow('NPY: magic "PK\\u0003\\u0004 n" at byte 0 is not "\\x93NUMPY".');
    const good = npy('<f4', '(2, 3)', new Uint8Array(24));
    expect(() => readNpy(good.subarray(0, good.length - 1))).toThrow(TruncatedError);
    expect(() => readNpy(good.subarray(0, good.length - 1))).toThrow('NPY: data of shape (2, 3) <f4 at byte 128 needs 24 bytes but only 23 remain (file truncated?).');
    expect(() => readNpy(new Uint8Array([...good, 0]))).toThrow('NPY: 1 unexpected bytes follow the data at byte 152.');
    expect(() => readNpy(good.subarray(0, 40))).toThrow(TruncatedError);
    const noShape = npy('<f4', '(1,)', new Uint8Array(4));
    noShape.set(new TextEncoder().encode("'shap"), noShape.indexOf(0x27, 40));
    expect(() => readNpy(noShape)).toThrow(FormatError);
  });
});

describe('readNpy on the real reference logits', () => {
  it('reads the MATLAB WRN logits [1000, 10] with their known values', () => {
    const t = readNpy(new Uint8Array(readFileSync(sharedPath('reference/mcdonnell-wrn20-10-matlab_cifar10-test-0-999_logits.npy'))));
    expect(t.dtype).toBe('float32');
    expect(t.dims).toEqual([1000, 10]);
    expect(t.data[0]).toBe(Math.fround(-20.764360427856445));
    expect(t.data[3]).toBe(Math.fround(200.00830078125));
    expect(t.data[9999]).toBe(Math.fround(-21.658506393432617));
  });

  it('reads the float ResNet-20 logits', () => {
    const t = readNpy(new Uint8Array(readFileSync(sharedPath('reference/akamaster-resnet20_cifar10-test-0-999_logits.npy'))));
    expect(t.dims).toEqual([1000, 10]);
    expect(t.data[3]).toBe(Math.fround(23.730514526367188));
  });
});
