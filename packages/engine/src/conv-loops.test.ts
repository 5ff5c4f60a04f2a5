/**
 * convBinary's two accumulation loops (assembly/index.ts: 4 output channels per step, or 2 with two
 * groups per step — which one runs depends on the JavaScript engine, src/wasm.ts convPairs) give the
 * same outputs bit for bit, over channel counts that leave partial steps, odd sizes, stride 2 and
 * chunks of groups that do not divide evenly. The golden tests check whichever loop this Node runs
 * against onnxruntime; this test ties the other one to it.
 */
import { describe, expect, it } from 'vitest';
import { random } from './golden.fixture.js';
import { instantiateKernels } from './wasm.js';

describe('convBinary accumulation loops', () => {
  const cases = [
    { C: 4, O: 1, H: 5, s: 1 }, { C: 8, O: 3, H: 7, s: 1 }, { C: 12, O: 5, H: 9, s: 2 },
    { C: 36, O: 9, H: 11, s: 1 }, { C: 64, O: 34, H: 8, s: 1 }, { C: 40, O: 7, H: 13, s: 2 },
  ];
  it.each(cases)('C $C → O $O, $H×$H, stride $s: pairs and quads agree bit for bit', ({ C, O, H, s }) => {
    const k = instantiateKernels();
    const K = 3;
    const OH = Math.floor((H + 2 - K) / s) + 1;
    const OW8 = Math.ceil(OH / 8) * 8;
    const Hp = (OH - 1) * s + K;
    const Wp = (OW8 - 1) * s + K;
    const G = (C / 4) * K * K;
    const Ob = Math.ceil(O / 4) * 2;
    const pad = k.alloc(C * Hp * Wp * 4);
    const wn = k.alloc(G * Ob + 16);
    const scale = k.alloc(O * 4);
    const tab = k.alloc(k.CONV_TABLE_BYTES.value as number);
    const acc = k.alloc(Math.ceil(O / 4) * 4 * 32);
    const y = [k.alloc(O * OH * OH * 4), k.alloc(O * OH * OH * 4)];
    const f = new Float32Array(k.memory.buffer);
    f.set(random(C * Hp * Wp, C + O, -2, 2), pad >> 2);
    f.set(random(O, O, 0.1, 1), scale >> 2);
    const bytes = new Uint8Array(k.memory.buffer, wn, G * Ob);
    random(G * Ob, H + s, 0, 256).forEach((v, i) => (bytes[i] = v));
    for (const pairs of [0, 1]) k.convBinary(pad, C, Hp, Wp, y[pairs]!, O, OH, OH, wn, scale, 1, 0, K, K, s, s, 1, 1, pairs, tab, acc, 0, OH);
    const quads = new Float32Array(k.memory.buffer, y[0]!, O * OH * OH);
    const pairs = new Float32Array(k.memory.buffer, y[1]!, O * OH * OH);
    expect(quads.some((v) => v !== 0)).toBe(true);
    expect(Buffer.from(pairs.buffer, pairs.byteOffset, pairs.byteLength).equals(Buffer.from(quads.buffer, quads.byteOffset, quads.byteLength))).toBe(true);
  });
});
