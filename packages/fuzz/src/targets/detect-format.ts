/**
 * Fuzz target: detectFormat, the sniffing step every conversion starts with. Its seeds are the
 * seeds of every other model-file target, so mutations cross format boundaries (a zip that is
 * almost a MAT file, a safetensors header that parses as protobuf).
 */
import { detectFormat } from '@onebit/convert';
import type { Seed } from '../mutation.js';
import type { FuzzTarget } from '../target.js';
import { containerTarget } from './container.js';
import { matTarget } from './mat.js';
import { onnxTarget } from './onnx.js';
import { pickleTarget } from './pickle.js';
import { safetensorsTarget } from './safetensors.js';
import { torchLegacyTarget } from './torch-legacy.js';
import { torchZipTarget } from './torch-zip.js';

function seeds(): Seed[] {
  return [onnxTarget, torchZipTarget, torchLegacyTarget, pickleTarget, safetensorsTarget, matTarget, containerTarget].flatMap((t) => t.seeds());
}

export const detectFormatTarget: FuzzTarget = {
  name: 'detect-format',
  seeds,
  read: (bytes) => detectFormat(bytes),
  memoryFactor: 1100,
};
