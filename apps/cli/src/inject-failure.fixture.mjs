/**
 * Test fixture, loaded with `node --import` before the CLI: makes node:fs's readFileSync of `injected.onnx`
 * throw the error named by ONEBIT_INJECT (`range`: a bare RangeError as an internal check would throw;
 * `allocation`: V8's own "Array buffer allocation failed"), so cli-errors.test.ts can see how the
 * built CLI ends on errors no real input should cause.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const kind = process.env.ONEBIT_INJECT;
const readFileSync = fs.readFileSync;
// Only for the file the CLI is asked to read (module loading reads files with it too).
fs.readFileSync = (path, ...rest) => {
  if (String(path) !== 'injected.onnx') return readFileSync(path, ...rest);
  if (kind === 'allocation') throw new RangeError('Array buffer allocation failed');
  throw new RangeError('rowLayout: dimension -1 in [2, -1] is not a non-negative integer.');
};
syncBuiltinESMExports();
