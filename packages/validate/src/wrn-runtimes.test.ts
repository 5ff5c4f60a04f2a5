/**
 * Done-when 1 of issue 5: the packed MATLAB WRN-20-10 (converted here with @onebit/convert, which
 * the vitest alias resolves) gives the reference's predictions in every runtime. onnxruntime-node
 * runs all 1000 shared CIFAR-10 test images; wasm and browser run far slower (WebAssembly SIMD on
 * a 2-core CI machine), so they run images 0–99 in CI, and their logits are compared with node's
 * under the named cross-runtime tolerances. The full 1000 in all three: see the package README.
 */
import { readFileSync } from 'node:fs';
import { convertSync } from '@onebit/convert';
import { sharedPath } from '@onebit/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCifar } from './cifar.js';
import { crossRuntimeParity, RUNTIME_MAX_REL_LOGIT_DIFF } from './cross-runtime.js';
import { readNpy } from './npy.js';
import { argmaxRows } from './top-k.js';
import { validateModel, type ValidationReport } from './validate-model.js';

const cifar = readCifar(new Uint8Array(readFileSync(sharedPath('datasets/cifar10/test_batch_0-999.bin'))));
const reference = readNpy(new Uint8Array(readFileSync(sharedPath('reference/mcdonnell-wrn20-10-matlab_cifar10-test-0-999_logits.npy'))));
const referenceTop1 = [...argmaxRows(reference.data as Float32Array, 10)];

describe('packed MATLAB WRN-20-10 in node, wasm and browser', () => {
  let model: Uint8Array;
  let node: ValidationReport;
  beforeAll(() => {
    model = convertSync(new Uint8Array(readFileSync(sharedPath('models/mcdonnell-wrn20-10-cifar10/matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat')))).bytes;
  });

  it('node: CIFAR-10 test images 0–999 give the reference predictions (1000/1000, top-1 error 3.80 %)', async () => {
    node = await validateModel({ model, data: cifar, preprocess: 'raw255', runtime: 'node', reference, batchSize: 50 });
    expect(node.n).toBe(1000);
    expect(node.predictions).toEqual(referenceTop1);
    expect(node.agreement).toBe(1);
    expect(node.top1Error).toBe(0.038);
    expect(node.top5Error).toBe(0.002);
    expect(node.maxAbsLogitDiff! / node.maxAbsReferenceLogit!).toBeLessThan(1e-5);
  }, 600_000);

  it.each(['wasm', 'browser'] as const)('%s: CIFAR-10 test images 0–99 give node\'s and the reference\'s predictions', async (runtime) => {
    const r = await validateModel({ model, data: cifar, preprocess: 'raw255', runtime, reference, limit: 100, batchSize: 25, threads: 2 });
    expect(r.n).toBe(100);
    expect(r.predictions).toEqual(referenceTop1.slice(0, 100));
    expect(r.agreement).toBe(1);
    const [pair] = crossRuntimeParity([{ runtime: 'node', logits: node.logits.subarray(0, 100 * 10) }, { runtime, logits: r.logits }], 10);
    expect(pair!.agreement).toBe(1);
    expect(pair!.relLogitDiff).toBeLessThanOrEqual(RUNTIME_MAX_REL_LOGIT_DIFF);
    expect(pair!.withinTolerance).toBe(true);
  }, 600_000);
});
