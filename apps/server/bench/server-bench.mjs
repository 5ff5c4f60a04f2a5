/**
 * Load bench of the example service over loopback (`npm run bench -w @onebit/server`): starts
 * `dist/main.js` as its own process (default flags: inference worker threads, bounded queue), then
 * for 1, 8, 32 and 128 concurrent clients POSTs CIFAR-10 PNGs for a fixed time each while probing
 * GET /healthz every 100 ms. Prints per level: answers by status, throughput of 200s, p50/p99
 * latency, /healthz p50/max, the server's peak RSS — each beside the previous run's figure, read
 * from and then written to bench/last-run.json. Extra arguments go to main.js (e.g. --workers 1).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cifarPngs } from '../dist/default-model.js';
import { quantile } from '../dist/load-test.js';

const LEVELS = [1, 8, 32, 128];
const SECONDS_PER_LEVEL = Number(process.env.BENCH_SECONDS ?? 6);
const resultsPath = fileURLToPath(new URL('./last-run.json', import.meta.url));
const previous = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : undefined;

function startServer(extra) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('../dist/main.js', import.meta.url)), '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
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

async function level(base, bodies, clients, pid) {
  const latencies = [];
  const statuses = {};
  const health = [];
  let next = 0;
  let maxRss = 0;
  const end = performance.now() + SECONDS_PER_LEVEL * 1000;
  const client = async () => {
    while (performance.now() < end) {
      const body = bodies[next++ % bodies.length];
      const t = performance.now();
      let status = 0;
      try {
        const res = await fetch(`${base}/classify`, { method: 'POST', body, headers: { 'content-type': 'image/png' } });
        await res.arrayBuffer();
        status = res.status;
        // A well-behaved client waits as long as Retry-After says before trying again.
        if (status === 503) await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
      } catch {
        status = 0;
      }
      if (status === 200) latencies.push(performance.now() - t);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  const probe = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      try {
        await (await fetch(`${base}/healthz`)).arrayBuffer();
        health.push(performance.now() - t);
      } catch {
        health.push(Infinity);
      }
      maxRss = Math.max(maxRss, memoryOf(pid).rssMiB);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const t0 = performance.now();
  await Promise.all([probe(), ...Array.from({ length: clients }, client)]);
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  health.sort((a, b) => a - b);
  return {
    clients, seconds: Number(seconds.toFixed(1)), statuses,
    okPerSecond: Number(((statuses[200] ?? 0) / seconds).toFixed(1)),
    p50Ms: Math.round(quantile(latencies, 0.5)), p99Ms: Math.round(quantile(latencies, 0.99)),
    healthzP50Ms: Number(quantile(health, 0.5).toFixed(1)), healthzMaxMs: Number(health.at(-1).toFixed(1)),
    maxRssMiB: Math.round(maxRss),
  };
}

const bodies = (await cifarPngs(20)).map((s) => s.png);
const { child, base, banner } = await startServer(process.argv.slice(2));
console.log(banner);
const results = [];
try {
  for (const clients of LEVELS) results.push(await level(base, bodies, clients, child.pid));
  const { peakMiB } = memoryOf(child.pid);
  const was = (clients, key) => previous?.levels?.find((l) => l.clients === clients)?.[key];
  const fmt = (v, unit = '') => (v === undefined ? '—' : `${v}${unit}`);
  console.log(`\n${SECONDS_PER_LEVEL} s per level; previous run (bench/last-run.json${previous ? `, ${previous.date}` : ': none'}) in brackets`);
  console.log('clients | answers by status | 200/s | p50 ms | p99 ms | /healthz p50 / max ms | max RSS MiB');
  for (const r of results) {
    console.log(`${String(r.clients).padStart(7)} | ${JSON.stringify(r.statuses).padEnd(18)} | ${r.okPerSecond} [${fmt(was(r.clients, 'okPerSecond'))}] | ${r.p50Ms} [${fmt(was(r.clients, 'p50Ms'))}] | ${r.p99Ms} [${fmt(was(r.clients, 'p99Ms'))}] | ${r.healthzP50Ms} / ${r.healthzMaxMs} [${fmt(was(r.clients, 'healthzP50Ms'))} / ${fmt(was(r.clients, 'healthzMaxMs'))}] | ${r.maxRssMiB} [${fmt(was(r.clients, 'maxRssMiB'))}]`);
  }
  console.log(`peak RSS of the service over the whole run: ${Math.round(peakMiB)} MiB [${fmt(previous?.peakRssMiB)}]`);
  writeFileSync(resultsPath, `${JSON.stringify({ date: new Date().toISOString(), args: process.argv.slice(2), secondsPerLevel: SECONDS_PER_LEVEL, banner, levels: results, peakRssMiB: Math.round(peakMiB) }, null, 2)}\n`);
} finally {
  child.kill('SIGTERM');
}
