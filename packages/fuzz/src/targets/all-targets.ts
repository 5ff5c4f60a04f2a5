/** Every fuzz target, one per reader, in the order of the summary table. */
import type { FuzzTarget } from '../target.js';
import { cifarTarget } from './cifar.js';
import { containerTarget } from './container.js';
import { convertGraphTarget } from './convert-graph.js';
import { detectFormatTarget } from './detect-format.js';
import { engineTarget } from './engine.js';
import { imageFolderTarget } from './image-folder.js';
import { matTarget } from './mat.js';
import { mnistTarget } from './mnist.js';
import { npyTarget } from './npy.js';
import { onnxExternalTarget } from './onnx-external.js';
import { onnxTarget } from './onnx.js';
import { pickleTarget } from './pickle.js';
import { safetensorsTarget } from './safetensors.js';
import { torchLegacyTarget } from './torch-legacy.js';
import { torchZipTarget } from './torch-zip.js';

export const ALL_TARGETS: readonly FuzzTarget[] = [
  onnxTarget, onnxExternalTarget, torchZipTarget, torchLegacyTarget, pickleTarget, safetensorsTarget,
  matTarget, containerTarget, cifarTarget, mnistTarget, npyTarget, detectFormatTarget,
  imageFolderTarget, convertGraphTarget, engineTarget,
];

/** The target named `name`; throws a RangeError listing the names otherwise. */
export function targetByName(name: string): FuzzTarget {
  const t = ALL_TARGETS.find((x) => x.name === name);
  if (!t) throw new RangeError(`unknown fuzz target '${name}'; known targets: ${ALL_TARGETS.map((x) => x.name).join(', ')}.`);
  return t;
}
