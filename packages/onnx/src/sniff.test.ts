/** Tests of sniffOnnx: real and built models (whole and as a prefix) are recognised; other bytes are not, without throwing. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '@onebit/data';
import { sniffOnnx } from './sniff.js';
import { GraphBuilder } from './graph-builder.js';
import { encodeModel } from './model-proto.js';

describe('sniffOnnx', () => {
  const mobilenet = new Uint8Array(readFileSync(sharedPath('models/onnx-zoo-mobilenetv2-12-int8/mobilenetv2-12-int8.onnx')));

  it('recognises a real model, whole or its first 64 bytes', () => {
    expect(sniffOnnx(mobilenet)).toBe(true);
    expect(sniffOnnx(mobilenet.subarray(0, 64))).toBe(true);
  });

  it('recognises a model written by encodeModel', () => {
    const b = new GraphBuilder('g');
    b.input('x', 'float32', [1]);
    b.output('y', 'float32', [1], b.node('Relu', ['x']));
    expect(sniffOnnx(encodeModel(b.build()))).toBe(true);
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['PNG', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['zip', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0])],
    ['JSON', new TextEncoder().encode('{"a": 1}')],
    ['a bare ir_version', new Uint8Array([0x08, 0x07])],
    ['ir_version 0', new Uint8Array([0x08, 0x00, 0x3a, 0x00])],
    ['a TensorProto', new Uint8Array([0x0a, 0x01, 0x02, 0x10, 0x01])],
    ['random bytes', Uint8Array.from({ length: 256 }, (_, i) => (i * 167 + 13) & 0xff)],
  ])('answers false for %s', (_, bytes) => {
    expect(sniffOnnx(bytes)).toBe(false);
  });
});
