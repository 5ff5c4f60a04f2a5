/**
 * A `.onebit` file around an arbitrary header text: the real magic, version 1, the header's true
 * length and CRC-32, and `data` at the first 64-byte boundary — so fuzz cases get past the CRC and
 * exercise the header and layout checks behind it.
 */
import { crc32 } from '@onebit/container';

export function containerWithHeader(headerText: string, data = new Uint8Array(0)): Uint8Array {
  const text = new TextEncoder().encode(headerText);
  const dataStart = Math.ceil((20 + text.length) / 64) * 64;
  const out = new Uint8Array(dataStart + data.length);
  out.set([0x89, 0x4f, 0x4e, 0x45, 0x42, 0x49, 0x54, 0x0a]);
  const view = new DataView(out.buffer);
  view.setUint32(8, 1, true);
  view.setUint32(12, text.length, true);
  view.setUint32(16, crc32(text), true);
  out.set(text, 20);
  out.set(data, dataStart);
  return out;
}
