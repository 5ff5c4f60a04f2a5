/**
 * Packing throughput on the WRN-20-10 conv weights (26,737,120 float32 values, McDonnell's
 * CIFAR network: a 3→160 stem, 18 3×3 convs at widths 160/320/640 and a 1×1 640→10 head),
 * filled with seeded random values. Reports GB/s of float32 input for packRows and packSigns
 * and their speed-up over a plain per-bit loop measured in the same run. Run after `npm run
 * build`: `npm run bench` (plain node on dist, no TypeScript runner needed).
 */
import { packRows, packSigns, unpackRows, rowLayout } from '../dist/index.js';

function wrn20x10Shapes() {
  const shapes = [[160, 3, 3, 3]];
  let cin = 160;
  for (const width of [160, 320, 640]) {
    for (let conv = 0; conv < 6; conv++) {
      shapes.push([width, cin, 3, 3]);
      cin = width;
    }
  }
  shapes.push([10, 640, 1, 1]);
  return shapes;
}

const shapes = wrn20x10Shapes();
const layers = shapes.map((dims, i) => {
  const n = dims.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  let s = (0x9e3779b9 ^ i) >>> 0;
  for (let k = 0; k < n; k++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; // xorshift32
    values[k] = s / 2 ** 32 - 0.5;
  }
  return { dims, values, ...rowLayout(dims) };
});
const total = layers.reduce((a, l) => a + l.values.length, 0);
if (total !== 26_737_120) throw new Error(`expected 26,737,120 weights, built ${total}`);

/** The baseline: one branchy read-test-or per element, as a first implementation would write it. */
function packPerBit(values) {
  const out = new Uint8Array(Math.ceil(values.length / 8));
  for (let k = 0; k < values.length; k++) {
    const x = values[k];
    if (Number.isNaN(x)) throw new RangeError(`element ${k} is NaN`);
    if (x >= 0) out[k >> 3] |= 1 << (k & 7);
  }
  return out;
}

const runs = {
  'per-bit loop (baseline)': () => { let c = 0; for (const l of layers) c ^= packPerBit(l.values)[0]; return c; },
  packSigns: () => { let c = 0; for (const l of layers) c ^= packSigns(l.values)[0]; return c; },
  packRows: () => { let c = 0; for (const l of layers) c ^= packRows(l.values, l.rows, l.rowLength)[0]; return c; },
};

// Check the kernels agree with the baseline before timing them.
for (const l of layers.slice(0, 3)) {
  const a = packPerBit(l.values), b = packSigns(l.values);
  if (a.length !== b.length || a.some((v, i) => v !== b[i])) throw new Error('packSigns disagrees with the per-bit loop');
  const back = unpackRows(packRows(l.values, l.rows, l.rowLength), l.rows, l.rowLength);
  if (back.some((v, i) => v !== (l.values[i] >= 0 ? 1 : -1))) throw new Error('packRows does not round-trip');
}

const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);
const inputBytes = total * 4;
const results = [];
for (const [name, fn] of Object.entries(runs)) {
  fn(); // warm-up: let the JIT optimise
  const times = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1];
  results.push({ name, median, best: times[0], gbps: inputBytes / (median / 1000) / 1e9 });
}

const base = results[0];
console.log(`WRN-20-10 conv weights: ${layers.length} tensors, ${total.toLocaleString('en-US')} float32 values (${(inputBytes / 1e6).toFixed(1)} MB), median of ${REPEATS} runs, node ${process.version}`);
console.log('');
console.log(`${'kernel'.padEnd(24)}  ${'median ms'.padStart(9)}  ${'best ms'.padStart(8)}  ${'GB/s'.padStart(6)}  ${'× per-bit'.padStart(9)}`);
console.log(`${'-'.repeat(24)}  ${'-'.repeat(9)}  ${'-'.repeat(8)}  ${'-'.repeat(6)}  ${'-'.repeat(9)}`);
for (const r of results) {
  console.log(`${r.name.padEnd(24)}  ${r.median.toFixed(1).padStart(9)}  ${r.best.toFixed(1).padStart(8)}  ${r.gbps.toFixed(2).padStart(6)}  ${(base.median / r.median).toFixed(2).padStart(9)}`);
}
const slow = results.slice(1).filter((r) => r.gbps < 1);
if (slow.length) console.log(`\nbelow the 1 GB/s target: ${slow.map((r) => r.name).join(', ')}`);
