/**
 * Lets loadModel take a `.onebit` container as well as a packed ONNX model: the container (the
 * smaller download) is turned into the packed ONNX model in memory by @onebit/convert, which is
 * imported only when a container is actually loaded, so pages that load ONNX never fetch it.
 */
import { OnebitError } from '@onebit/core';
import { ModelLoadError } from './errors.js';
import { importPeer } from './peer-import.js';

/** The `.onebit` container's magic bytes (packages/container FORMAT.md). */
const CONTAINER_MAGIC = [0x89, 0x4f, 0x4e, 0x45, 0x42, 0x49, 0x54, 0x0a];

export function isContainer(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && CONTAINER_MAGIC.every((b, i) => bytes[i] === b);
}

/** The packed ONNX model equivalent to container `bytes` (bit-exact with converting its source). */
export async function containerToOnnxBytes(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  const { convertSync } = await importPeer('@onebit/convert', `Loading the .onebit container ${name}`, () => import('@onebit/convert'));
  try {
    return convertSync(bytes, { fileName: name, to: 'onnx' }).bytes;
  } catch (e) {
    if (e instanceof OnebitError) throw new ModelLoadError(`${name} is a .onebit container that cannot be loaded: ${e.message}`, undefined, { cause: e });
    throw e;
  }
}
