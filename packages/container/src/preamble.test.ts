/** Tests of the sniff: answers false, without throwing, for anything that is not a onebit file. */
import { describe, expect, it } from 'vitest';
import { align, isMagicPrefix, MAGIC, sniffContainer } from './preamble.js';

describe('sniffContainer', () => {
  it('recognises the magic and nothing shorter or different', () => {
    expect(sniffContainer(new Uint8Array([...MAGIC, 1, 0, 0, 0]))).toBe(true);
    expect(sniffContainer(new Uint8Array(MAGIC.slice(0, 7)))).toBe(false);
    expect(sniffContainer(new Uint8Array(0))).toBe(false);
    expect(sniffContainer(new TextEncoder().encode('ONEBIT\n\0'))).toBe(false);
    expect(sniffContainer(new Uint8Array([0x08, 0x07, 0x12, 0x03, 0x6f, 0x6e, 0x65, 0x00]))).toBe(false); // an ONNX start
  });

  it('tells a truncated magic from foreign bytes', () => {
    expect(isMagicPrefix(new Uint8Array(0))).toBe(true);
    expect(isMagicPrefix(new Uint8Array(MAGIC.slice(0, 5)))).toBe(true);
    expect(isMagicPrefix(new Uint8Array([0x89, 0x50]))).toBe(false);
  });

  it('aligns to 64 bytes', () => {
    expect([0, 1, 63, 64, 65, 280].map(align)).toEqual([0, 64, 64, 64, 128, 320]);
  });
});
