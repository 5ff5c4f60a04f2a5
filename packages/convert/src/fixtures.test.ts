/**
 * The committed conversion fixtures are the files their generators wrote: SHA256SUMS of
 * test-fixtures/resnet20 and test-fixtures/mnist-1bit, and the random-weight ResNet-20 graph run in
 * onnxruntime reproduces the logits PyTorch computed for it at export (golden.json).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';

/** onnxruntime vs PyTorch on the same float32 graph: summation order only. */
const GRAPH_LOGIT_TOLERANCE = 1e-4;

const dir = (name: string) => new URL(`../../../test-fixtures/${name}/`, import.meta.url);

describe.each(['resnet20', 'mnist-1bit'])('test-fixtures/%s', (name) => {
  it('matches its SHA256SUMS', () => {
    const lines = readFileSync(new URL('SHA256SUMS', dir(name)), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      const [sum, file] = line.split(/\s+/) as [string, string];
      expect(createHash('sha256').update(readFileSync(new URL(file, dir(name)))).digest('hex'), file).toBe(sum);
    }
  });
});

describe('the random-weight ResNet-20 graph', () => {
  it("reproduces PyTorch's logits on the seeded input", async () => {
    const golden = JSON.parse(readFileSync(new URL('golden.json', dir('resnet20')), 'utf8')) as { logits: number[][] };
    const raw = readFileSync(new URL('input-2x3x32x32.f32', dir('resnet20')));
    const x = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const session = await ort.InferenceSession.create(readFileSync(new URL('resnet20.onnx', dir('resnet20'))));
    const out = await session.run({ input: new ort.Tensor('float32', x, [2, 3, 32, 32]) });
    await session.release();
    const logits = Array.from(out['logits']!.data as Float32Array);
    golden.logits.flat().forEach((v, i) => expect(Math.abs(logits[i]! - v)).toBeLessThan(GRAPH_LOGIT_TOLERANCE));
  });
});
