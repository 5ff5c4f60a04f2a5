/** Tests of resolveExternalData: loading referenced bytes, and refusing escapes and wrong lengths. */
import { describe, expect, it } from 'vitest';
import { FormatError, SecurityError } from '@onebit/core';
import { GraphBuilder } from './graph-builder.js';
import { resolveExternalData } from './external-data.js';
import type { OnnxModel } from './model.js';

function modelWithExternal(location: string, offset: number, length?: number): OnnxModel {
  const b = new GraphBuilder('g');
  b.input('x', 'float32', [2]);
  b.output('y', 'float32', [2], b.node('Relu', ['x']));
  const m = b.build();
  const externalData = length === undefined ? { location, offset } : { location, offset, length };
  m.graph.initializers.push({ name: 'w', tensor: { dtype: 'float32', dims: [2], data: new Float32Array(0) }, externalData });
  return m;
}

const file = new Uint8Array([9, 9, 9, 9, ...new Uint8Array(new Float32Array([1.5, -3]).buffer)]);

describe('resolveExternalData', () => {
  it('loads the bytes at the offset and drops the reference', async () => {
    const read: string[] = [];
    const m = await resolveExternalData(modelWithExternal('w.bin', 4, 8), (loc) => (read.push(loc), file));
    expect(m.graph.initializers[0]).toEqual({ name: 'w', tensor: { dtype: 'float32', dims: [2], data: new Float32Array([1.5, -3]) } });
    expect(read).toEqual(['w.bin']);
  });
  it('EXPECTED FAILURE: refuses a location outside the model folder', async () => {
    await expect(resolveExternalData(modelWithExternal('../secret', 0), () => file))
      .rejects.toThrow(new SecurityError('ONNX: external data location "../secret" of tensor "w" leaves the model\'s folder.'));
  });
  it('EXPECTED FAILURE: names a length that does not fit the shape', async () => {
    await expect(resolveExternalData(modelWithExternal('w.bin', 0), () => file))
      .rejects.toThrow(new FormatError('ONNX', 'external data of tensor "w" is 12 bytes but its float32 shape [2] needs 8.'));
  });
});
