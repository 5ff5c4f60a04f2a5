/**
 * Fuzz target: decodeModel then resolveExternalData through confinedReader on a real temporary
 * folder (a 256-byte weights.bin inside, a secret file and a symbolic link to it outside the
 * model's folder). Every external-data location the fuzzer produces — `../../etc/passwd`,
 * absolute paths, NUL bytes, huge offsets — must load from inside the folder or be refused.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodeModel, resolveExternalData } from '@onebit/onnx';
import { confinedReader } from '@onebit/onnx/confined-reader';
import type { Seed } from '../mutation.js';
import type { FuzzTarget } from '../target.js';
import { modelProto, tensorProto } from './onnx.js';

let folder: string | undefined;

/** The model folder, created once per process and removed at exit. */
export function externalDataFolder(): string {
  if (folder) return folder;
  const base = mkdtempSync(join(tmpdir(), 'onebit-fuzz-external-'));
  folder = join(base, 'model');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  writeFileSync(join(folder, 'weights.bin'), new Uint8Array(256).map((_, i) => i));
  writeFileSync(join(folder, 'sub', 'w.bin'), new Uint8Array(16).fill(0x3f));
  writeFileSync(join(base, 'secret.bin'), new TextEncoder().encode('secret outside the model folder\n'));
  symlinkSync(join(base, 'secret.bin'), join(folder, 'link.bin'));
  process.once('exit', () => rmSync(base, { recursive: true, force: true }));
  return folder;
}

const external = (location: string, offset: string, length?: string): Uint8Array =>
  modelProto([tensorProto({ name: 'w', dataType: 1, dims: [2, 2], external: length === undefined ? { location, offset } : { location, offset, length } })]);

function seeds(): Seed[] {
  return [
    { name: 'generated/external-weights.onnx', bytes: external('weights.bin', '0', '16') },
    { name: 'generated/external-sub.onnx', bytes: external('sub/w.bin', '0') },
    { name: 'generated/external-escape.onnx', bytes: external('../../etc/passwd', '0', '16') },
    { name: 'generated/external-link.onnx', bytes: external('link.bin', '0', '16') },
  ];
}

const LOCATIONS = ['weights.bin', 'sub/w.bin', './weights.bin', 'sub/../weights.bin', '../../etc/passwd', '/etc/passwd', '..', '.', '',
  'link.bin', 'sub', 'C:\\evil', '\\\\server\\share', 'weights.bin\0../../etc/passwd', '%2e%2e/secret.bin', 'sub/../../secret.bin', '../model/weights.bin'];

export const onnxExternalGenerator: fc.Arbitrary<Uint8Array> = fc.tuple(
  fc.constantFrom(...LOCATIONS),
  fc.oneof(fc.nat(300).map(String), fc.constantFrom('-1', '1e3', '9007199254740993', 'x', '')),
  fc.option(fc.oneof(fc.nat(300).map(String), fc.constantFrom('-16', '18446744073709551615')), { nil: undefined }),
).map(([location, offset, length]) => external(location, offset, length));

export const onnxExternalTarget: FuzzTarget = {
  name: 'onnx-external',
  seeds,
  generator: onnxExternalGenerator,
  read: async (bytes) => resolveExternalData(decodeModel(bytes), confinedReader(externalDataFolder())),
};
