/// <reference types="node" />
/**
 * A ReadExternalFile for Node that only reads regular files inside one folder (the model's): an
 * external-data location that is absolute, contains a NUL byte, or resolves — after following
 * symbolic links — outside the folder is refused with a SecurityError naming the location; a
 * missing file, a folder or a device/FIFO gets a ModelError. Imported from
 * `@onebit/onnx/confined-reader` so the package's main entry stays free of node: modules.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ModelError, SecurityError } from '@onebit/core';
import type { ReadExternalFile } from './external-data.js';

/** True when `rel` (a path.relative result) stays inside its base folder and is not the folder itself. */
function isInside(rel: string): boolean {
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Reads external-data files named relative to `folder`, never anything outside it. */
export function confinedReader(folder: string): ReadExternalFile {
  const root = realpathSync(resolve(folder));
  return (location: string) => {
    if (location.includes('\0')) throw new SecurityError(`ONNX: external data location ${JSON.stringify(location)} contains a NUL byte.`);
    if (isAbsolute(location) || /^[a-zA-Z]:/.test(location) || location.startsWith('\\')) {
      throw new SecurityError(`ONNX: external data location "${location}" is an absolute path; it must name a file inside the model's folder ${root}.`);
    }
    const lexical = resolve(root, location);
    if (!isInside(relative(root, lexical))) {
      throw new SecurityError(`ONNX: external data location "${location}" leaves the model's folder ${root}.`);
    }
    let target: string;
    try {
      target = realpathSync(lexical);
    } catch {
      throw new ModelError(`ONNX: external data file "${location}" does not exist in the model's folder ${root}.`);
    }
    if (!isInside(relative(root, target))) {
      throw new SecurityError(`ONNX: external data location "${location}" resolves to ${target}, outside the model's folder ${root}.`);
    }
    if (!statSync(target).isFile()) throw new ModelError(`ONNX: external data location "${location}" in ${root} is not a regular file.`);
    return new Uint8Array(readFileSync(target));
  };
}
