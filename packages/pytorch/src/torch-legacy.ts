/**
 * The legacy torch.save format (torch <= 1.5, and `_use_new_zipfile_serialization=False` since):
 * five pickles and raw data back to back — the magic number 0x1950a86a20f9469cfc6c, the protocol
 * version 1001, a sys_info dict (byte order, type sizes), the object itself with persistent ids
 * `('storage', torch.<Type>Storage, key, location, numel, view_metadata)`, then the list of storage
 * keys, and for each key in that order an 8-byte element count followed by the raw elements.
 * See torch/serialization.py `_legacy_load`.
 */
import { ByteReader, DTYPE_BYTES, FormatError, UnsupportedError } from '@onebit/core';
import { allowListedGlobals, buildAllowed } from './allow-list.js';
import { OP } from './pickle-opcodes.js';
import { describeValue } from './pickle-value.js';
import { TorchStorage, parseStorageId, swapBytes } from './storage.js';
import { unpickle } from './unpickler.js';

const FORMAT = 'torch-legacy';
export const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
export const LEGACY_PROTOCOL_VERSION = 1001;
/** The magic number as the 10 little-endian bytes of a LONG1 argument. */
const MAGIC_BYTES = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

/** True when `bytes` opens with the pickled legacy magic number (protocol 2-5, framed or not). */
export function looksLikeTorchLegacy(bytes: Uint8Array): boolean {
  let i = 0;
  if (bytes[i] !== OP.PROTO || (bytes[i + 1] ?? 0) < 2 || (bytes[i + 1] ?? 9) > 5) return false;
  i += 2;
  if (bytes[i] === OP.FRAME) i += 9;
  if (bytes[i] !== OP.LONG1 || bytes[i + 1] !== 10) return false;
  return MAGIC_BYTES.every((b, k) => bytes[i + 2 + k] === b);
}

/** Unpickles a legacy file and attaches the storages that follow the object. */
export function unpickleTorchLegacy(bytes: Uint8Array): { raw: unknown } {
  const reader = new ByteReader(bytes, FORMAT);
  const findGlobal = allowListedGlobals(FORMAT);
  const build = buildAllowed(FORMAT);
  const magic = unpickle(reader, { findGlobal });
  if (magic !== LEGACY_MAGIC) throw new FormatError(FORMAT, `the file opens with ${describeValue(magic)} instead of the torch magic number 0x1950a86a20f9469cfc6c.`, 0);
  const versionAt = reader.offset;
  const version = unpickle(reader, { findGlobal });
  if (version !== LEGACY_PROTOCOL_VERSION) throw new UnsupportedError(`${FORMAT}: protocol version ${describeValue(version)} at byte ${versionAt} is not ${LEGACY_PROTOCOL_VERSION}, the only legacy version torch writes.`);
  const sysInfo = unpickle(reader, { findGlobal });
  const littleEndian = !(sysInfo instanceof Map) || sysInfo.get('little_endian') !== false;

  const storages = new Map<string, TorchStorage>();
  const raw = unpickle(reader, {
    findGlobal,
    build,
    persistentLoad(pid, offset) {
      const id = parseStorageId(pid, FORMAT, offset);
      let root = storages.get(id.key);
      if (!root) storages.set(id.key, (root = new TorchStorage(id.key, id.dtype, id.numel)));
      if (root.dtype !== id.dtype) throw new FormatError(FORMAT, `storage '${id.key}' at byte ${offset} is read as ${id.dtype} but was first seen as ${root.dtype}.`, offset);
      if (!id.view) return root;
      let view = storages.get(id.view.key);
      if (!view) storages.set(id.view.key, (view = new TorchStorage(id.view.key, id.dtype, id.view.numel, { storage: root, offset: id.view.offset })));
      return view;
    },
  });

  const keysAt = reader.offset;
  const keys = unpickle(reader, { findGlobal });
  if (!Array.isArray(keys)) throw new FormatError(FORMAT, `the storage key list at byte ${keysAt} is ${describeValue(keys)}, not a list.`, keysAt);
  for (const k of keys) {
    const key = String(k);
    const at = reader.offset;
    const storage = storages.get(key);
    if (!storage || storage.base) throw new FormatError(FORMAT, `the storage list at byte ${keysAt} names '${key}', which no tensor uses.`, keysAt);
    if (storage.loaded) throw new FormatError(FORMAT, `the storage list at byte ${keysAt} names '${key}' twice.`, keysAt);
    reader.littleEndian = littleEndian;
    const count = reader.u64(`element count of storage '${key}'`);
    reader.littleEndian = true;
    if (count !== storage.numel) throw new FormatError(FORMAT, `storage '${key}' at byte ${at} holds ${count} elements but its tensors declared ${storage.numel}.`, at);
    const itemSize = DTYPE_BYTES[storage.dtype];
    const data = reader.bytesView(count * itemSize, `data of storage '${key}' (${count} × ${storage.dtype})`);
    storage.attach(littleEndian ? data : swapBytes(data.slice(), itemSize), FORMAT, at);
  }
  for (const storage of storages.values()) {
    if (!storage.loaded) throw new FormatError(FORMAT, `storage '${storage.key}' is used by a tensor but missing from the storage list at byte ${keysAt}.`, keysAt);
  }
  return { raw };
}
