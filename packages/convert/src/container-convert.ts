/**
 * Conversions to and from the .onebit container: .mat / onebit-emitted WRN ONNX → .onebit, and
 * .onebit → ONNX (packed or float). A container read back is checked (sizes, offsets, CRCs) by
 * @onebit/container before any tensor is used.
 */
import { readContainer, writeContainer, type Container } from '@onebit/container';
import { UnsupportedError } from '@onebit/core';
import { decodeModel } from '@onebit/onnx';
import { countWeights, type WrnNetwork } from '@onebit/wrn';
import { networkToOnnx, readNetwork, type ConversionResult, type ConvertOptions } from './convert.js';
import { detectFormat, FORMAT_NAMES } from './detect-format.js';
import { isOnebitWrnOnnx, onnxToWrn } from './onnx-to-wrn.js';
import { containerToWrn, isWrnContainer, wrnToContainer } from './wrn-container.js';

export interface ContainerResult {
  readonly container: Container;
  readonly bytes: Uint8Array;
  readonly network: WrnNetwork;
}

/** Any input that holds one of the authors' WRNs → the WrnNetwork. */
export function readAnyNetwork(bytes: Uint8Array, fileName = 'the file'): WrnNetwork {
  const format = detectFormat(bytes, fileName);
  if (format === 'mat') return readNetwork(bytes, fileName);
  if (format === 'onebit') {
    const c = readContainer(bytes);
    if (isWrnContainer(c)) return containerToWrn(c);
  }
  if (format === 'onnx') {
    const model = decodeModel(bytes, fileName);
    if (isOnebitWrnOnnx(model)) return onnxToWrn(model);
  }
  throw new UnsupportedError(`${fileName} is a ${FORMAT_NAMES[format]} that does not hold a network onebit can store in a .onebit container yet (supported: the authors' WRN releases and onebit's ONNX or .onebit files of them).`);
}

export function convertToContainer(bytes: Uint8Array, fileName = 'the file'): ContainerResult {
  const network = readAnyNetwork(bytes, fileName);
  const container = wrnToContainer(network);
  return { container, bytes: writeContainer(container), network };
}

export function containerToOnnx(bytes: Uint8Array, options: ConvertOptions = {}): ConversionResult {
  const network = readAnyNetwork(bytes, options.fileName);
  return networkToOnnx(network, FORMAT_NAMES.onebit, options);
}


