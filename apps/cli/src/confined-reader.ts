/**
 * Reads ONNX external-data files for a model, confined to the model's own folder: a location that
 * resolves (after following symbolic links) outside that folder is refused with a SecurityError,
 * and a missing file gets a one-line error naming it.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { SecurityError } from '@onebit/core';
import type { ReadExternalFile } from '@onebit/onnx';
import { InputFileError } from './read-input.js';

/** A ReadExternalFile that only reads files inside the folder of `modelPath`. */
export function confinedReader(modelPath: string): ReadExternalFile {
  const folder = realpathSync(dirname(resolve(modelPath)));
  return (location: string) => {
    let target: string;
    try {
      target = realpathSync(resolve(folder, location));
    } catch {
      throw new InputFileError(`The external data file "${location}" of ${modelPath} does not exist.`);
    }
    const rel = relative(folder, target);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new SecurityError(`External data file "${location}" of ${modelPath} resolves to ${target}, outside the model's folder ${folder}.`);
    }
    return new Uint8Array(readFileSync(target));
  };
}
