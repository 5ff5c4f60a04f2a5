/**
 * A small folder as one byte string, so the byte-level mutation fuzzer can edit image folders:
 * each entry is [place u8][name length u8][name][data length u32 LE][data], where place 0 puts the
 * file in the image folder and 1 in its parent (the reader also looks there for labels and
 * classes). Decoding never throws: lengths are clamped to the bytes left, and names are cut to
 * safe characters, so a mutated input still becomes some folder and never escapes its temp dir.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatBytes } from '../concat-bytes.js';

export interface FolderEntry {
  /** 0: the image folder; 1: its parent. */
  readonly place: 0 | 1;
  readonly name: string;
  readonly data: Uint8Array;
}

/** Encodes entries (names must be ASCII, at most 255 bytes). */
export function encodeFolder(entries: readonly FolderEntry[]): Uint8Array {
  return concatBytes(...entries.map((e) => {
    const name = new TextEncoder().encode(e.name);
    const head = new Uint8Array(6 + name.length);
    head[0] = e.place;
    head[1] = name.length;
    head.set(name, 2);
    new DataView(head.buffer).setUint32(2 + name.length, e.data.length, true);
    return concatBytes(head, e.data);
  }));
}

/** Keeps [A-Za-z0-9._-], refusing '.', '..' and empty names (undefined). */
function safeName(raw: Uint8Array): string | undefined {
  const name = String.fromCharCode(...raw).replace(/[^A-Za-z0-9._-]/g, '');
  return name === '' || name === '.' || name === '..' ? undefined : name;
}

/** Decodes any bytes into entries; later entries of the same place and name replace earlier ones. */
export function decodeFolder(bytes: Uint8Array): FolderEntry[] {
  const out = new Map<string, FolderEntry>();
  let at = 0;
  while (at + 2 <= bytes.length) {
    const place = (bytes[at]! & 1) as 0 | 1;
    const nameEnd = Math.min(bytes.length, at + 2 + bytes[at + 1]!);
    const name = safeName(bytes.subarray(at + 2, nameEnd));
    at = nameEnd;
    let length = 0;
    if (at + 4 <= bytes.length) length = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0, true);
    at = Math.min(bytes.length, at + 4);
    const data = bytes.subarray(at, Math.min(bytes.length, at + length));
    at += data.length;
    if (name !== undefined) out.set(`${place}/${name}`, { place, name, data });
  }
  return [...out.values()];
}

/** Writes the entries under a fresh temp dir; returns the image folder and a cleanup. */
export function writeFolder(entries: readonly FolderEntry[]): { dir: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'onebit-fuzz-folder-'));
  const dir = join(root, 'images');
  mkdirSync(dir);
  // A parent entry named like the image folder itself is dropped rather than written over it.
  for (const e of entries) if (e.place === 0 || e.name !== 'images') writeFileSync(join(e.place === 0 ? dir : root, e.name), e.data);
  return { dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}
