/**
 * The 128-byte MAT level-5 header: 116 bytes of text, an 8-byte subsystem offset, a 16-bit version
 * (0x0100) and a 2-byte endian indicator ('IM' on little-endian files, 'MI' on big-endian ones).
 * Also tells apart what is not a level-5 file: wrong files, v4 files and v7.3 (HDF5) files.
 */
import { FormatError, TruncatedError, UnsupportedError, WrongFileError, describeWrongFile, sentenceCase } from '@onebit/core';

export const HEADER_BYTES = 128;

export type MatHeader = { header: string; version: number; littleEndian: boolean };

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

function hasHdf5SignatureAt(bytes: Uint8Array, offset: number): boolean {
  return bytes.length >= offset + 8 && HDF5_SIGNATURE.every((b, i) => bytes[offset + i] === b);
}

/** True when the first 20 bytes form a plausible level-4 matrix header (MOPT type code, dims, imagf, name length). */
function looksLikeLevel4(bytes: Uint8Array): boolean {
  if (bytes.length < 20) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 20);
  return [true, false].some((le) => {
    const mopt = view.getInt32(0, le);
    const [m, o, p, t] = [Math.floor(mopt / 1000), Math.floor(mopt / 100) % 10, Math.floor(mopt / 10) % 10, mopt % 10];
    const imagf = view.getInt32(12, le);
    const nameLength = view.getInt32(16, le);
    return mopt >= 0 && m <= 4 && o === 0 && p <= 5 && t <= 2 && view.getInt32(4, le) >= 0 && view.getInt32(8, le) >= 0
      && (imagf === 0 || imagf === 1) && nameLength >= 1 && nameLength <= 4096;
  });
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/**
 * A cheap sniff that never throws: true when `bytes` start like a MAT file of any version (level 5,
 * v7.3 or v4), so a caller can route the file to readMat, which then reads it or says why not.
 */
export function isMatFile(bytes: Uint8Array): boolean {
  const text = latin1(bytes.subarray(0, 116));
  if (text.startsWith('MATLAB 5.0') || text.startsWith('MATLAB 7.3')) return true;
  const indicator = latin1(bytes.subarray(126, 128));
  return (bytes.length >= HEADER_BYTES && (indicator === 'IM' || indicator === 'MI') && /^[\x20-\x7e]{8}/.test(text)) || looksLikeLevel4(bytes);
}

/** Reads and checks the header; throws a typed error saying what the file is when it is not level 5. */
export function readHeader(bytes: Uint8Array): MatHeader {
  const wrong = describeWrongFile(bytes, 'the MAT file');
  if (wrong) throw new WrongFileError(sentenceCase(wrong));
  const text = latin1(bytes.subarray(0, 116));
  if (text.startsWith('MATLAB 7.3') || hasHdf5SignatureAt(bytes, 0) || hasHdf5SignatureAt(bytes, 512)) {
    throw new UnsupportedError('MAT: this is a MATLAB v7.3 (HDF5) file, which onebit does not read; re-save it in MATLAB with save(..., \'-v7\').');
  }
  const isLevel5Text = text.startsWith('MATLAB 5.0');
  if (!isLevel5Text && looksLikeLevel4(bytes)) {
    throw new UnsupportedError('MAT: this is a MATLAB v4 file, which onebit does not read; re-save it in MATLAB with save(..., \'-v7\').');
  }
  if (bytes.length < HEADER_BYTES) {
    if (isLevel5Text) throw new TruncatedError('MAT', 'header', 0, HEADER_BYTES, bytes.length);
    throw new WrongFileError(`The file is not a MAT file: it has only ${bytes.length} bytes and no MATLAB header.`);
  }
  const indicator = latin1(bytes.subarray(126, 128));
  if (indicator !== 'IM' && indicator !== 'MI') {
    if (!text.startsWith('MATLAB')) throw new WrongFileError('The file is not a MAT file: it does not start with a MATLAB header.');
    throw new FormatError('MAT', `endian indicator ${JSON.stringify(indicator)} at byte 126 is neither "IM" nor "MI".`, 126);
  }
  const littleEndian = indicator === 'IM';
  const version = new DataView(bytes.buffer, bytes.byteOffset + 124, 2).getUint16(0, littleEndian);
  if (version !== 0x0100) {
    throw new UnsupportedError(`MAT: header version 0x${version.toString(16).padStart(4, '0')} at byte 124 is not 0x0100, the only level-5 version.`);
  }
  return { header: text.replace(/[\s\0]+$/, ''), version, littleEndian };
}
