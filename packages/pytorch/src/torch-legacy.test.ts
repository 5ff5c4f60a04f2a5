/**
 * Tests of the legacy torch.save layout beyond the golden fixtures: sniffing of framed and
 * unframed magic numbers and EXPECTED FAILURE cases in the storage section.
 */
import { readFileSync } from 'node:fs';
import { FormatError, UnsupportedError } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import { looksLikeTorchLegacy, unpickleTorchLegacy } from './torch-legacy.js';

const dir = new URL('../../../test-fixtures/pytorch/', import.meta.url);
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, dir)));

describe('torch legacy', () => {
  it('recognises the magic number in protocol 2 and framed protocol 4', () => {
    expect(looksLikeTorchLegacy(fixture('tiny-cnn.legacy.pt'))).toBe(true);
    expect(looksLikeTorchLegacy(fixture('tiny-cnn.proto4.legacy.pt'))).toBe(true);
    expect(looksLikeTorchLegacy(fixture('plain-data.p2.pkl'))).toBe(false);
    expect(looksLikeTorchLegacy(new Uint8Array([0x80]))).toBe(false);
  });
});

describe('EXPECTED FAILURE: broken legacy files', () => {
  const legacy = fixture('storage-view.legacy.pt');
  // The file ends with the one storage: an 8-byte count 8 and 32 bytes of float32.
  const countAt = legacy.length - 40;

  it('checks the element count of each storage', () => {
    const bad = legacy.slice();
    bad[countAt] = 9;
    expect(() => unpickleTorchLegacy(bad)).toThrow(`torch-legacy: storage 'root' at byte ${countAt} holds 9 elements but its tensors declared 8.`);
  });
  it('checks a huge element count against the file length before allocating', () => {
    const bad = legacy.slice();
    bad.set([0, 0, 0, 0, 0, 0, 0x10, 0], countAt);
    expect(() => unpickleTorchLegacy(bad)).toThrow(FormatError);
  });
  it('refuses a wrong magic number and protocol version', () => {
    const magic = legacy.slice();
    magic[4] = magic[4]! ^ 1;
    expect(() => unpickleTorchLegacy(magic)).toThrow('torch-legacy: the file opens with the bigint');
    const version = legacy.slice();
    const at = version.indexOf(0xe9, 14); // BININT2 1001 = e9 03
    version[at] = 0xea;
    expect(() => unpickleTorchLegacy(version)).toThrow(UnsupportedError);
    expect(() => unpickleTorchLegacy(version)).toThrow('torch-legacy: protocol version the number 1002 at byte 15 is not 1001, the only legacy version torch writes.');
  });
});
