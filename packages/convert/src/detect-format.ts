/**
 * Recognises what a model file is from its bytes alone, netron-style: each format has a cheap
 * sniff that answers "not mine" without throwing. Files that are obviously not models (empty,
 * Git LFS pointer, HTML page) and unknown bytes get a WrongFileError that says what was seen.
 */
import { describeWrongFile, WrongFileError, sentenceCase } from '@onebit/core';
import { sniffContainer } from '@onebit/container';
import { sniffOnnx } from '@onebit/onnx';
import { sniffSafetensors, sniffTorch } from '@onebit/pytorch';

export type ModelFormat = 'mat' | 'onnx' | 'torch-zip' | 'torch-legacy' | 'safetensors' | 'onebit';

export const FORMAT_NAMES: Readonly<Record<ModelFormat, string>> = {
  mat: 'MATLAB MAT-file (level 5)',
  onnx: 'ONNX model',
  'torch-zip': 'PyTorch checkpoint (zip, torch ≥ 1.6)',
  'torch-legacy': 'PyTorch checkpoint (legacy, torch ≤ 1.5)',
  safetensors: 'safetensors',
  onebit: 'onebit bit-packed container',
};

/** MAT level 5 files start with 116 bytes of text beginning "MATLAB 5.0 MAT-file". */
function sniffMat(bytes: Uint8Array): boolean {
  const head = String.fromCharCode(...bytes.subarray(0, 19));
  return head === 'MATLAB 5.0 MAT-file' || (bytes.length >= 128 && head.startsWith('MATLAB'));
}

export function detectFormat(bytes: Uint8Array, fileName = 'the file'): ModelFormat {
  const wrong = describeWrongFile(bytes, fileName);
  if (wrong) throw new WrongFileError(sentenceCase(wrong));
  if (sniffContainer(bytes)) return 'onebit';
  if (sniffMat(bytes)) return 'mat';
  const torch = sniffTorch(bytes);
  if (torch) return torch;
  if (sniffSafetensors(bytes)) return 'safetensors';
  if (sniffOnnx(bytes)) return 'onnx';
  const hex = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new WrongFileError(
    `${sentenceCase(fileName)} (${bytes.length} bytes, starting ${hex}) is not a format onebit reads: expected ONNX, a PyTorch checkpoint, safetensors, a MATLAB .mat or a .onebit container.`,
  );
}
