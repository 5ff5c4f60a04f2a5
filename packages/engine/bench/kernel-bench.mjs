/**
 * The binary conv kernel alone: GMAC/s of convBinary's two accumulation loops (pairs = 0: 4 output
 * channels per step; pairs = 1: 2 channels, two groups per step) on the WRN-20-10's dominant layer,
 * 3×3 160→160 at 32×32, one thread, timed interleaved (15 rounds of 2 G multiply-accumulates each,
 * loops alternating) so the VM's drift falls on both alike. Prints the median and best round of
 * each and the median of their per-round ratio. Run after `npm run build`:
 * `node packages/engine/bench/kernel-bench.mjs` (for vCPU effects: `taskset -c N node …`).
 */
import { instantiateKernels } from '../dist/wasm.js';

const C = 160, O = 160, H = 32, W = 32, K = 3;
const Hp = H + K - 1, Wp = Math.ceil(W / 8) * 8 + K - 1;
const G = (C / 4) * K * K, Ob = Math.ceil(O / 4) * 2;
const macs = O * H * W * C * K * K;
const k = instantiateKernels();
const pad = k.alloc(C * Hp * Wp * 4), y = k.alloc(O * H * W * 4), wn = k.alloc(G * Ob + 16);
const scale = k.alloc(O * 4), tab = k.alloc(k.CONV_TABLE_BYTES.value), acc = k.alloc(Math.ceil(O / 4) * 4 * 32);
const f = new Float32Array(k.memory.buffer), u8 = new Uint8Array(k.memory.buffer);
for (let i = 0; i < C * Hp * Wp; i++) f[(pad >> 2) + i] = Math.sin(i);
for (let i = 0; i < G * Ob; i++) u8[wn + i] = Math.imul(i, 2654435761) >>> 24;
f.fill(0.01, scale >> 2, (scale >> 2) + O);
const run = (pairs) => k.convBinary(pad, C, Hp, Wp, y, O, H, W, wn, scale, 1, 0, K, K, 1, 1, 1, 1, pairs, tab, acc, 0, H);
for (let i = 0; i < 20; i++) run(i & 1); // past V8's baseline tier for both
const reps = Math.max(1, Math.round(2e9 / macs));
const res = [[], []];
for (let r = 0; r < 15; r++) {
  for (const pairs of [0, 1]) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) run(pairs);
    res[pairs].push((macs * reps) / ((performance.now() - t) / 1000) / 1e9);
  }
}
const med = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const name = ['4 channels per step (pairs 0)', '2 channels, 2 groups per step (pairs 1)'];
console.log(`convBinary, 3×3 ${C}→${O} at ${H}×${W}, one thread, ${process.versions.v8 ? `V8 ${process.versions.v8}` : ''}; 15 interleaved rounds of ${(macs * reps / 1e9).toFixed(2)} G MAC`);
for (const p of [0, 1]) console.log(`  ${name[p]}: ${med(res[p]).toFixed(1)} GMAC/s median, ${Math.max(...res[p]).toFixed(1)} best`);
console.log(`  pairs 1 ÷ pairs 0, median of per-round ratios: ${med(res[1].map((v, i) => v / res[0][i])).toFixed(2)}×`);
