/**
 * Reads an input file named on a command line (the CLI's and the example service's), turning "no
 * such file" and "is a directory" into one-line typed errors that name the path.
 */
import { readFileSync, statSync } from 'node:fs';
import { OnebitError } from '@onebit/core';

export class InputFileError extends OnebitError {}

/** The bytes of `path`; `what` names the file in the error ("model", "--labels"). @throws InputFileError if it is missing or a directory. */
export function readInput(path: string, what = 'input'): Uint8Array {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new InputFileError(`The ${what} file ${path} does not exist.`);
  }
  if (stat.isDirectory()) throw new InputFileError(`The ${what} path ${path} is a directory, not a file.`);
  return new Uint8Array(readFileSync(path));
}
