/**
 * Load bench of the example service over loopback (`npm run bench -w @onebit/server`): starts
 * `dist/main.js` as its own process (default flags: inference worker threads, bounded queue), then
 * for 1, 8, 32 and 128 concurrent clients POSTs CIFAR-10 PNGs for a fixed time each while probing
 * GET /healthz and GET /readyz every 100 ms, each on a fresh connection as an orchestrator's probe
 * does, from a worker thread of its own (so the 128 clients' event loop here does not delay the
 * probe's clock). Prints per level: answers by status, throughput of 200s, p50/p99 latency,
 * /healthz and /readyz p50/p99/max, the service's own worst event-loop delay (reported by /healthz),
 * its RSS and the machine's 1-minute load average — each beside the previous run's figure, read from
 * and then written to bench/last-run.json. Extra arguments go to main.js (e.g. --workers 1).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { cifarPngs } from '../dist/default-model.js';
import { quantile } from '../dist/load-test.js';

const LEVELS = [1, 8, 32, 128];
const SECONDS_PER_LEVEL = Number(process.env.BENCH_SECONDS ?? 6);
/** Node flags for the service only, e.g. BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to see what its threads spend time on. */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const resultsPath = fileURLToPath(new URL('./last-run.json', import.meta.url));
const previous = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : undefined;

function startServer(extra) {
  const child = spawn(process.execPath, [...NODE_ARGS, fileURLToPath(new URL('../dist/main.js', import.meta.url)), '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /on http:\/\/([\d.]+):(\d+)/.exec(out);
      if (m) resolve({ child, base: `http://${m[1]}:${m[2]}`, banner: out.trim().split('\n')[0] });
    });
    child.once('exit', (code) => reject(new Error(`the service exited with code ${code} before listening`)));
  });
}

/** VmHWM (peak resident set) and VmRSS of `pid` in MiB, from /proc (Linux). */
function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { peakMiB: kb('VmHWM') / 1024, rssMiB: kb('VmRSS') / 1024 };
}

/**
 * The probe thread: every 100 ms a GET of /healthz then /readyz, each on a new connection, timed
 * from the request to the last byte of the answer; on 'stop' it posts the latencies (Infinity for
 * a failure) and the service's reported event-loop delays.
 */
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const out = { healthz: [], readyz: [], loopDelay: [] };
const own = monitorEventLoopDelay({ resolution: 10 });
own.enable();
let running = true;
parentPort.once('message', () => { running = false; });
const get = (path) => new Promise((resolve) => {
  const t = performance.now();
  const req = http.get(workerData.base + path, { agent: false }, (res) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (d) => (text += d));
    res.on('end', () => resolve({ ms: performance.now() - t, status: res.statusCode, text }));
  });
  req.on('error', () => resolve({ ms: Infinity, status: 0, text: '' }));
});
(async () => {
  while (running) {
    const h = await get('/healthz');
    out.healthz.push(h.status === 200 ? h.ms : Infinity);
    try { out.loopDelay.push(JSON.parse(h.text).eventLoopDelayMaxMs); } catch {}
    // /readyz may rightly answer 503 while the queue is full: its latency counts either way.
    const r = await get('/readyz');
    out.readyz.push(r.status === 200 || r.status === 503 ? r.ms : Infinity);
    await new Promise((r) => setTimeout(r, 100));
  }
  out.ownLoopDelayMaxMs = Math.round(own.max / 1e5) / 10;
  parentPort.postMessage(out);
})();
`;

/** Runs the probe thread until `until` settles; resolves with its latencies. */
async function probe(base, until) {
  const worker = new Worker(PROBE, { eval: true, workerData: { base } });
  await until;
  const result = new Promise((resolve) => worker.once('message', resolve));
  worker.postMessage('stop');
  const out = await result;
  await worker.terminate();
  return out;
}

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const r = (v) => Number(v.toFixed(1));
  return { p50: r(quantile(sorted, 0.5)), p99: r(quantile(sorted, 0.99)), max: r(sorted.at(-1)) };
};

/**
 * The load generator thread: `clients` closed-loop clients POST the PNGs for `seconds`, each
 * waiting as long as a 503's Retry-After says before its next request; posts statuses and the
 * latencies of the 200s. On Linux it lowers its own CPU priority (nice 10, per thread) first: the
 * clients share this machine's cores with the service, where deployed clients would not, and
 * must not take the CPU the service's event loop needs to answer the probes.
 */
const CLIENTS = `
const { parentPort, workerData } = require('node:worker_threads');
if (process.platform === 'linux') require('node:os').setPriority(10);
const { base, bodies, clients, seconds } = workerData;
const latencies = [];
const statuses = {};
let next = 0;
const end = performance.now() + seconds * 1000;
const client = async () => {
  while (performance.now() < end) {
    const body = bodies[next++ % bodies.length];
    const t = performance.now();
    let status = 0;
    try {
      const res = await fetch(base + '/classify', { method: 'POST', body, headers: { 'content-type': 'image/png' } });
      await res.arrayBuffer();
      status = res.status;
      if (status === 503) await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
    } catch {
      status = 0;
    }
    if (status === 200) latencies.push(performance.now() - t);
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
};
Promise.all(Array.from({ length: clients }, client)).then(() => parentPort.postMessage({ latencies, statuses }));
`;

async function level(base, bodies, clients, pid) {
  let maxRss = 0;
  const rss = setInterval(() => (maxRss = Math.max(maxRss, memoryOf(pid).rssMiB)), 100);
  const t0 = performance.now();
  const generator = new Worker(CLIENTS, { eval: true, workerData: { base, bodies, clients, seconds: SECONDS_PER_LEVEL } });
  const load = new Promise((resolve, reject) => generator.once('message', resolve).once('error', reject));
  const probed = await probe(base, load);
  const { latencies, statuses } = await load;
  await generator.terminate();
  clearInterval(rss);
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const healthz = stats(probed.healthz);
  const readyz = stats(probed.readyz);
  return {
    clients, seconds: Number(seconds.toFixed(1)), statuses,
    okPerSecond: Number(((statuses[200] ?? 0) / seconds).toFixed(1)),
    p50Ms: Math.round(quantile(latencies, 0.5)), p99Ms: Math.round(quantile(latencies, 0.99)),
    probes: probed.healthz.length,
    healthzP50Ms: healthz.p50, healthzP99Ms: healthz.p99, healthzMaxMs: healthz.max,
    readyzP50Ms: readyz.p50, readyzP99Ms: readyz.p99, readyzMaxMs: readyz.max,
    loopDelayMaxMs: Math.max(0, ...probed.loopDelay),
    probeLoopDelayMaxMs: probed.ownLoopDelayMaxMs,
    loadAverage1m: Number(loadavg()[0].toFixed(1)),
    maxRssMiB: Math.round(maxRss),
  };
}

const bodies = (await cifarPngs(20)).map((s) => s.png);
const { child, base, banner } = await startServer(process.argv.slice(2));
console.log(banner);
// Warm-up, not measured: the first requests pay for lazy module loading and JIT on both sides.
await probe(base, new Promise((r) => setTimeout(r, 500)));
const results = [];
try {
  for (const clients of LEVELS) results.push(await level(base, bodies, clients, child.pid));
  const { peakMiB } = memoryOf(child.pid);
  const was = (clients, key) => previous?.levels?.find((l) => l.clients === clients)?.[key];
  const fmt = (v, unit = '') => (v === undefined ? '—' : `${v}${unit}`);
  console.log(`\n${SECONDS_PER_LEVEL} s per level; previous run (bench/last-run.json${previous ? `, ${previous.date}` : ': none'}) in brackets`);
  console.log('clients | answers by status | 200/s | p50 ms | p99 ms | /healthz p50 / p99 / max ms | /readyz p50 / p99 / max ms | service event-loop delay max ms | max RSS MiB | load avg 1 min');
  for (const r of results) {
    const w = (key) => fmt(was(r.clients, key));
    console.log(`${String(r.clients).padStart(7)} | ${JSON.stringify(r.statuses).padEnd(18)} | ${r.okPerSecond} [${w('okPerSecond')}] | ${r.p50Ms} [${w('p50Ms')}] | ${r.p99Ms} [${w('p99Ms')}] | ${r.healthzP50Ms} / ${r.healthzP99Ms} / ${r.healthzMaxMs} [${w('healthzP50Ms')} / ${w('healthzP99Ms')} / ${w('healthzMaxMs')}] | ${r.readyzP50Ms} / ${r.readyzP99Ms} / ${r.readyzMaxMs} [${w('readyzP50Ms')} / ${w('readyzP99Ms')} / ${w('readyzMaxMs')}] | ${r.loopDelayMaxMs} [${w('loopDelayMaxMs')}] | ${r.maxRssMiB} [${w('maxRssMiB')}] | ${r.loadAverage1m} [${w('loadAverage1m')}]`);
  }
  console.log(`the probe thread's own worst event-loop delay per level (its clock runs late by this much when the machine is busy): ${results.map((r) => r.probeLoopDelayMaxMs).join(' / ')} ms`);
  console.log(`${results.reduce((n, r) => n + r.probes, 0)} probes of each; /healthz and /readyz slowest answer over all levels: ${Math.max(...results.map((r) => r.healthzMaxMs))} / ${Math.max(...results.map((r) => r.readyzMaxMs))} ms (target: under 100 ms)`);
  console.log(`peak RSS of the service over the whole run: ${Math.round(peakMiB)} MiB [${fmt(previous?.peakRssMiB)}]`);
  writeFileSync(resultsPath, `${JSON.stringify({ date: new Date().toISOString(), args: process.argv.slice(2), secondsPerLevel: SECONDS_PER_LEVEL, banner, levels: results, peakRssMiB: Math.round(peakMiB) }, null, 2)}\n`);
} finally {
  child.kill('SIGTERM');
}
