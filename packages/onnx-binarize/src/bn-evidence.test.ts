/**
 * Tests of the BatchNorm evidence on hand-made Conv → BatchNormalization graphs: running variances
 * proportional to ‖w_c‖² (float training) give correlation 1, variances that ignore ‖w_c‖² (1-bit
 * training) give a low one, and graphs without a BN after the Conv give no evidence.
 */
import { describe, expect, it } from 'vitest';
import { tensor } from '@onebit/core';
import { GraphBuilder, type OnnxModel } from '@onebit/onnx';
import { bnCorrelation, trainingEvidence } from './bn-evidence.js';

/** Conv weight [4,1,1,2] with channel c = [c+1, 0] (‖w_c‖² = (c+1)²), then BN with running_var `variances`. */
function model(variances: number[], withBn = true): OnnxModel {
  const b = new GraphBuilder('g');
  b.input('x', 'float32', [1, 1, 2, 2]);
  b.initializer('w', tensor('float32', [4, 1, 1, 2], new Float32Array([1, 0, 2, 0, 3, 0, 4, 0])));
  const c = b.node('Conv', ['x', 'w'], { kernel_shape: [1, 2] });
  let y = c;
  if (withBn) {
    for (const [n, v] of [['s', 1], ['b', 0], ['m', 0]] as const) b.initializer(n, tensor('float32', [4], new Float32Array(4).fill(v)));
    b.initializer('var', tensor('float32', [4], new Float32Array(variances)));
    y = b.node('BatchNormalization', [c, 's', 'b', 'm', 'var']);
  }
  b.output('y', 'float32', [1, 4, 2, 1], y);
  return b.build();
}

describe('bnCorrelation', () => {
  it('is 1 when running variances scale with ‖w_c‖² (float training)', () => {
    expect(bnCorrelation(model([1, 4, 9, 16]), 'w')).toBeCloseTo(1, 12);
    expect(trainingEvidence(model([1, 4, 9, 16]), ['w'])).toEqual({ verdict: 'float-trained', correlation: expect.closeTo(1, 12), layers: 1 });
  });
  it('is low when the variances ignore the latent norms (1-bit training)', () => {
    const e = trainingEvidence(model([2, 1, 2, 1]), ['w']);
    expect(e.verdict).toBe('one-bit-trained');
    expect(e.correlation!).toBeLessThan(0);
  });
  it('gives no evidence without a BatchNormalization after the Conv', () => {
    expect(bnCorrelation(model([], false), 'w')).toBeUndefined();
    expect(trainingEvidence(model([], false), ['w'])).toEqual({ verdict: 'unknown', layers: 0 });
  });
});
