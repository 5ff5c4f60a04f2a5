/**
 * `onebit convert` of a state_dict onto a graph, as a user runs the built bin (needs
 * `npx turbo run build`): the Lightning-style checkpoint of case 10 converts with its `model.`
 * prefix stripped and `--preprocess` recorded in the model; the eval-mode export of case 18 exits 1
 * with the PRESERVE fix; an unknown preset exits 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath } from '@onebit/data';
import { decodeModel } from '@onebit/onnx';

const bin = fileURLToPath(new URL('../bin/onebit.js', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'onebit-state-dict-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const cases = (p: string) => sharedPath(`cases/convert/${p}`);

function onebit(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ONEBIT_OFFLINE: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('onebit convert <state_dict> --graph', () => {
  it("case 10: strips 'model.', records --preprocess in onebit.preprocess and says so", () => {
    const target = join(out, 'lightning.onnx');
    const r = onebit('convert', cases('10-lightning-ckpt/plain-dict-hparams.ckpt'), '--graph', cases('10-lightning-ckpt/graph.onnx'), '-o', target, '--preprocess', 'cifar-wrn');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('layers       3 binary conv layers, 10 classes, input [-1, 3, 8, 8], preprocess cifar-wrn');
    expect(r.stdout).toContain("state_dict   17 initializers matched (prefix 17); 'model.' stripped from the keys");
    expect(r.stdout).toContain('  ignored (training counters inference never reads): model.bn1.num_batches_tracked, model.bn2.num_batches_tracked, model.bn3.num_batches_tracked');
    expect(decodeModel(new Uint8Array(readFileSync(target))).metadata['onebit.preprocess']).toBe('cifar-wrn');
  });

  it('EXPECTED FAILURE: case 18 (batch norm folded by an eval-mode export) exits 1 saying to export with PRESERVE, writing nothing', () => {
    const target = join(out, 'folded.onnx');
    const r = onebit('convert', cases('18-bn-folded-graph-plus-state-dict/state_dict.pth'), '--graph', cases('18-bn-folded-graph-plus-state-dict/graph-default-export.onnx'), '-o', target);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe("error: The graph has 0 BatchNormalization nodes but the state_dict's batch norms bn1, bn2, bn3 match none, so the graph was exported with batch norm folded into the convs; export it again with torch.onnx.export(..., training=torch.onnx.TrainingMode.PRESERVE).");
    expect(() => readFileSync(target)).toThrow();
  });

  it('BAD CALL: an unknown --preprocess exits 2 listing the presets', () => {
    const r = onebit('convert', cases('10-lightning-ckpt/plain-dict-hparams.ckpt'), '--graph', cases('10-lightning-ckpt/graph.onnx'), '-o', join(out, 'x.onnx'), '--preprocess', 'cifar');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('error: Unknown preprocessing "cifar"; known: unit, raw255, cifar-torchvision, cifar-wrn, imagenet.');
  });
});
