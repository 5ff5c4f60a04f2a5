/** Tests of the size report: hand-computed sizes for a binary conv, a per-channel scale and a float tensor. */
import { packSigns } from '@onebit/bits';
import { tensor } from '@onebit/core';
import { describe, expect, it } from 'vitest';
import type { ContainerTensor } from './container-types.js';
import { formatSizeReport, sizeReport } from './size-report.js';
import { writeContainer } from './write-container.js';

const tensors: ContainerTensor[] = [
  // 160 rows × 1440 bits = 45 words each → 160 × 180 bytes = 28,800 bytes for 230,400 weights: exactly 1 bit each
  { name: 'conv', role: 'binary-weight', weight: { dims: [160, 160, 3, 3], bits: packSigns(new Float32Array(230_400)), scale: 0.037 } },
  // 10 rows × 27 bits → 1 word each = 40 bytes, + 10 float32 scales = 40 bytes; 270 weights
  { name: 'head', role: 'binary-weight', weight: { dims: [10, 3, 3, 3], bits: packSigns(new Float32Array(270)), scale: new Float32Array(10) } },
  { name: 'bn', role: 'float', tensor: tensor('float32', [160], new Float32Array(160)) },
];

describe('sizeReport', () => {
  it('counts row padding and scales as bits on disk', () => {
    const r = sizeReport(tensors);
    expect(r.layers.map((l) => [l.name, l.weights, l.bytesOnDisk, l.bitsOnDisk, l.float32Bytes])).toEqual([
      ['conv', 230_400, 28_800, 230_400, 921_600],
      ['head', 270, 80, 640, 1_080],
      ['bn', 160, 640, 5_120, 640],
    ]);
    expect(r.layers[0]!.ratioToFloor).toBe(1);
    expect(r.layers[1]!.ratioToFloor).toBeCloseTo(640 / 270, 12);
    expect(r.layers[2]!.ratioToFloor).toBe(32);
    expect(r.total).toEqual({ weights: 230_830, binaryWeights: 230_670, bitsOnDisk: 236_160, bytesOnDisk: 29_520, float32Bytes: 923_320, ratioToFloor: 236_160 / 230_830 });
  });

  it('charges the whole file to the total when its length is given, with compressed sizes beside', () => {
    const fileBytes = writeContainer({ model: {}, tensors }).length;
    const r = sizeReport(tensors, { fileBytes, compressed: { gzip: 1000, brotli: 900 }, layerCompressed: new Map([['conv', { gzip: 50 }]]) });
    expect(r.total.fileBytes).toBe(fileBytes);
    expect(r.total.overheadBytes).toBe(fileBytes - 29_520);
    expect(r.total.overheadBytes).toBeGreaterThan(0);
    expect(r.total.ratioToFloor).toBe((fileBytes * 8) / 230_830);
    expect(r.layers[0]!.compressed).toEqual({ gzip: 50 });
    const text = formatSizeReport(r);
    expect(text.split('\n')[0]).toMatch(/^layer\s+dims\s+weights\s+bits on disk\s+bytes on disk\s+gzip\s+brotli\s+float32 bytes\s+× 1-bit floor$/);
    expect(text).toMatch(/conv\s+160×160×3×3\s+230,400\s+230,400\s+28,800\s+50\s+—\s+921,600\s+1\.000/);
    expect(text).toMatch(/total \(file\)/);
  });

  it('reports 0 rather than NaN for empty tensors', () => {
    const r = sizeReport([{ name: 'e', role: 'float', tensor: tensor('float32', [0], new Float32Array(0)) }]);
    expect(r.layers[0]!.ratioToFloor).toBe(0);
    expect(r.total.ratioToFloor).toBe(0);
  });
});
