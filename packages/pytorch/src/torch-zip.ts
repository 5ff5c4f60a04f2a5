/**
 * The torch.save zip format (torch >= 1.6): a zip archive with one top folder (any name) holding
 * `data.pkl` (the pickled object), `data/<key>` (one raw little-endian storage per entry, stored or
 * deflated), `version` and, since torch 2.1, `byteorder`. See torch/serialization.py `_load`.
 * Entries are inflated in memory with fflate only after the declared sizes pass a total limit
 * (zip bombs), and each one's CRC-32 is checked against the central directory; nothing is ever
 * written to disk.
 */
import { ByteReader, ChecksumError, DTYPE_BYTES, FormatError, crc32, crcHex, LimitError, OnebitError, UnsupportedError, WrongFileError, raiseLimitHint } from '@onebit/core';
import { type UnzipFileInfo, unzipSync } from 'fflate';
import { allowListedGlobals, buildAllowed } from './allow-list.js';
import { TorchStorage, parseStorageId, swapBytes } from './storage.js';
import { unpickle } from './unpickler.js';
import { centralDirectoryCrcs } from './zip-directory.js';

const FORMAT = 'torch-zip';

export interface TorchZipLimits {
  /**
   * Most bytes all needed deflated entries may inflate to, together. Stored entries (torch.save
   * writes every entry stored) are not counted: their bytes are the file's own.
   */
  maxInflatedBytes: number;
  /** Most entries the central directory may list. */
  maxEntries: number;
}

/**
 * 1 GiB of deflated entries in all: torch.save stores its entries uncompressed, so only a re-zipped
 * checkpoint inflates at all, and a 1 MB deflate bomb (1032:1) cannot get past it; pass a larger
 * maxInflatedBytes for bigger re-zipped models.
 */
export const DEFAULT_TORCH_ZIP_LIMITS: Readonly<TorchZipLimits> = {
  maxInflatedBytes: 1024 ** 3,
  maxEntries: 1_000_000,
};

/** A central directory record takes at least 46 bytes (APPNOTE.TXT 4.3.12), which bounds how many entries an archive can list. */
export const MIN_CENTRAL_RECORD_BYTES = 46;

/** Deflate never expands data more than 1032:1 (258-byte matches coded in 2 bits). */
const MAX_DEFLATE_RATIO = 1032;

/** True when `bytes` starts like a zip archive (local file header signature). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function unzip(bytes: Uint8Array, filter: (file: UnzipFileInfo) => boolean): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes, { filter });
  } catch (error) {
    if (error instanceof OnebitError) throw error;
    throw new FormatError(FORMAT, `the zip archive is corrupt or truncated (${(error as Error).message}).`, undefined, { cause: error });
  }
}

/** Unpickles `<folder>/data.pkl` of a torch zip, attaching storages from `<folder>/data/<key>`. */
export function unpickleTorchZip(bytes: Uint8Array, limits: Partial<TorchZipLimits> = {}): { raw: unknown; folder: string } {
  const { maxInflatedBytes, maxEntries } = { ...DEFAULT_TORCH_ZIP_LIMITS, ...limits };
  const names: string[] = [];
  // fflate walks as many records as the end record's count claims, reading past the directory's end
  // as empty records: a 2 KB file claiming 2^32 entries would take minutes to list
  const fit = Math.floor(bytes.length / MIN_CENTRAL_RECORD_BYTES);
  unzip(bytes, (file) => {
    if (names.length >= fit) throw new FormatError(FORMAT, `the central directory lists more entries than the ${bytes.length}-byte archive can hold (${fit} of at least ${MIN_CENTRAL_RECORD_BYTES} bytes each).`);
    if (names.length >= maxEntries) throw new LimitError(`${FORMAT}: the archive lists more than ${maxEntries} entries (maxEntries); ${raiseLimitHint('maxEntries')}.`);
    names.push(file.name);
    return false;
  });
  const pickles = names.filter((n) => n === 'data.pkl' || n.endsWith('/data.pkl')).sort((a, b) => a.split('/').length - b.split('/').length);
  const pkl = pickles[0];
  if (pkl === undefined) {
    const shown = names.slice(0, 3).map((n) => `'${n}'`).join(', ');
    throw new WrongFileError(`The zip archive has no data.pkl entry (it lists ${names.length} entries${shown ? `: ${shown}${names.length > 3 ? ', …' : ''}` : ''}), so it is not a torch.save file.`);
  }
  const folder = pkl.slice(0, -'data.pkl'.length);
  const wanted = (name: string): boolean =>
    name === pkl || name === `${folder}byteorder` || (name.startsWith(`${folder}data/`) && name.length > folder.length + 5);
  let inflated = 0;
  let stored = 0;
  const entries = unzip(bytes, (file) => {
    if (!wanted(file.name)) return false;
    if (file.compression !== 0 && file.compression !== 8) throw new UnsupportedError(`${FORMAT}: entry '${file.name}' uses zip compression method ${file.compression}; onebit reads stored (0) and deflated (8) entries.`);
    // fflate allocates the declared size before inflating, so a lying header must be refused here
    if (file.size > bytes.length) throw new FormatError(FORMAT, `entry '${file.name}' declares ${file.size} compressed bytes, more than the ${bytes.length}-byte archive holds.`);
    if (file.compression === 8 && file.originalSize > MAX_DEFLATE_RATIO * file.size + 1024) {
      throw new LimitError(`${FORMAT}: entry '${file.name}' declares ${file.originalSize} bytes inflated from ${file.size}, more than deflate can produce; refusing a possible zip bomb.`);
    }
    if (file.compression === 0) {
      // stored: its bytes are the file's own, so honest entries cannot add up past the file's size
      // (entries sharing one local header could make fflate copy the same bytes again and again)
      stored += file.size;
      if (stored > bytes.length) throw new FormatError(FORMAT, `the stored entries up to '${file.name}' declare ${stored} bytes, more than the ${bytes.length}-byte archive holds (entries overlap).`);
      return true;
    }
    inflated += file.originalSize;
    if (inflated > maxInflatedBytes) {
      throw new LimitError(`${FORMAT}: the deflated entries inflate to more than the ${maxInflatedBytes}-byte limit (maxInflatedBytes; entry '${file.name}' declares ${file.originalSize}), refusing a possible zip bomb; ${raiseLimitHint('maxInflatedBytes')}.`);
    }
    return true;
  });
  const crcs = centralDirectoryCrcs(bytes, FORMAT);
  for (const [name, data] of Object.entries(entries)) {
    const expected = crcs.get(name);
    if (expected === undefined) throw new FormatError(FORMAT, `entry '${name}' is missing from the central directory.`);
    const actual = crc32(data);
    if (actual !== expected) throw new ChecksumError(FORMAT, `entry '${name}' CRC-32`, crcHex(expected), crcHex(actual));
  }
  const byteorderEntry = entries[`${folder}byteorder`];
  const byteorder = byteorderEntry ? new TextDecoder().decode(byteorderEntry).trim() : 'little';
  if (byteorder !== 'little' && byteorder !== 'big') throw new FormatError(FORMAT, `${folder}byteorder says '${byteorder.slice(0, 20)}' instead of 'little' or 'big'.`);

  const storages = new Map<string, TorchStorage>();
  const pickleFormat = `${FORMAT} ${pkl}`;
  const raw = unpickle(new ByteReader(entries[pkl]!, pickleFormat), {
    findGlobal: allowListedGlobals(pickleFormat),
    build: buildAllowed(pickleFormat),
    persistentLoad(pid, offset) {
      const id = parseStorageId(pid, pickleFormat, offset);
      const known = storages.get(id.key);
      if (known) return known;
      const entryName = `${folder}data/${id.key}`;
      const data = entries[entryName];
      if (!data) throw new FormatError(pickleFormat, `storage '${id.key}' at byte ${offset} has no entry '${entryName}' in the archive.`, offset);
      const storage = new TorchStorage(id.key, id.dtype, id.numel);
      storage.attach(byteorder === 'big' ? swapBytes(data.slice(), DTYPE_BYTES[id.dtype]) : data, FORMAT);
      storages.set(id.key, storage);
      return storage;
    },
  });
  return { raw, folder };
}
