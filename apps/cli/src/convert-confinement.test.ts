/**
 * The CLI touches nothing outside its output folder: `onebit convert` (the built bin, as a user
 * runs it) of a tiny ONNX model writes exactly one file, the output, and an ONNX model whose
 * external data points at `../secret.bin` is refused with the path named and writes nothing.
 * Snapshots the input, output and neighbouring folders before and after. Needs `npx turbo run build`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '@onebit/onnx';

const bin = fileURLToPath(new URL('../bin/onebit.js', import.meta.url));
const tiny = fileURLToPath(new URL('../../../packages/validate/test-data/tiny.onnx', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'onebit-confine-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Every file under `dir` with its size and modification time. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else out[relative(dir, p)] = `${s.size}@${s.mtimeMs}`;
    }
  };
  walk(dir);
  return out;
}

function convert(input: string, output: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [bin, 'convert', input, '-o', output, '--quiet'], { cwd: join(base, 'cwd'), encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('onebit convert output confinement', () => {
  mkdirSync(join(base, 'cwd'), { recursive: true });
  mkdirSync(join(base, 'in'), { recursive: true });
  mkdirSync(join(base, 'out'), { recursive: true });
  writeFileSync(join(base, 'neighbour.txt'), 'untouched');

  it('writes only the output file', () => {
    copyFileSync(tiny, join(base, 'in', 'model.onnx'));
    const before = snapshot(base);
    const { status, stderr } = convert(join(base, 'in', 'model.onnx'), join(base, 'out', 'out.onnx'));
    expect(status, stderr).toBe(0);
    const after = snapshot(base);
    const added = Object.keys(after).filter((k) => !(k in before));
    expect(added).toEqual([join('out', 'out.onnx')]);
    for (const [k, v] of Object.entries(before)) expect(after[k], k).toBe(v);
    expect(decodeModel(new Uint8Array(readFileSync(join(base, 'out', 'out.onnx')))).graph.nodes.length).toBeGreaterThan(0);
  });

  it('EXPECTED FAILURE: refuses external data outside the model folder and writes nothing', () => {
    const model = decodeModel(new Uint8Array(readFileSync(tiny)));
    const w = model.graph.initializers[0]!;
    model.graph.initializers[0] = { name: w.name, tensor: { ...w.tensor, data: new Float32Array(0) } as typeof w.tensor, externalData: { location: '../secret.bin', offset: 0 } };
    writeFileSync(join(base, 'secret.bin'), new Uint8Array(w.tensor.data.length * 4));
    writeFileSync(join(base, 'in', 'escape.onnx'), encodeModel(model));
    const before = snapshot(base);
    const { status, stderr } = convert(join(base, 'in', 'escape.onnx'), join(base, 'out', 'escape-out.onnx'));
    expect(status).not.toBe(0);
    expect(stderr).toContain('../secret.bin');
    expect(snapshot(base)).toEqual(before);
  });
});
