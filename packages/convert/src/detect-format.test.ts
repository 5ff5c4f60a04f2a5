/** Tests that each format is recognised from its bytes and that non-models get a one-sentence WrongFileError. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WrongFileError } from '@onebit/core';
import { sharedPath } from '@onebit/data';
import { detectFormat } from './detect-format.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('detectFormat', () => {
  it('recognises the real files in ../shared', () => {
    expect(detectFormat(new Uint8Array(readFileSync(sharedPath('models/mcdonnell-wrn20-10-cifar10/keras/CIFAR10_01weights.mat'))))).toBe('mat');
    expect(detectFormat(new Uint8Array(readFileSync(sharedPath('models/onnx-zoo-mobilenetv2-12-int8/mobilenetv2-12-int8.onnx'))))).toBe('onnx');
    expect(detectFormat(new Uint8Array(readFileSync(sharedPath('models/akamaster-resnet20-cifar10/resnet20-12fca82f.th'))))).toBe('torch-legacy');
  });

  it.each([
    ['an empty file', new Uint8Array(0), 'model.mat is empty (0 bytes).'],
    ['a Git LFS pointer', enc('version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 3479965\n'), 'model.mat is a Git LFS pointer to a 3479965-byte object, not the model itself; run `git lfs pull` or download the real file.'],
    ['an HTML page', enc('<!DOCTYPE html><html><body>Not found</body></html>'), 'model.mat is an HTML page (50 bytes), probably an error or login page saved instead of the download.'],
    ['random bytes', new Uint8Array([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5]), 'model.mat (9 bytes, starting de ad be ef 01 02 03 04) is not a format onebit reads: expected ONNX, a PyTorch checkpoint, safetensors, a MATLAB .mat or a .onebit container.'],
  ])('refuses %s with a one-sentence message', (_, bytes, message) => {
    let error: unknown;
    try {
      detectFormat(bytes, 'model.mat');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WrongFileError);
    expect((error as Error).message).toBe(message);
  });
});
