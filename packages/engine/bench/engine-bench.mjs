/**
 * The engine's figures beside their baselines, measured in one run on this machine (issue 17's
 * targets): images/s of the packed MATLAB WRN-20-10 in the engine (1 thread, and 2 with
 * worker_threads) vs onnxruntime-web wasm and onnxruntime-node at the same thread counts in Node;
 * peak RSS of a process that loads the model (loadEngineInto) and classifies 100 CIFAR-10 images,
 * engine vs onnxruntime-node, beside an empty Node's; resident binary-weight bytes ÷ the 1-bit
 * floor; the engine's .wasm sizes gzipped; in Chromium, images/s of the engine (Web Worker, nested
 * workers for threads) vs onnxruntime-web wasm at 1 and 2 threads, and each page's gzipped
 * download (JS + wasm + model). Every Node configuration runs in its own process (peak RSS is per
 * process; onnxruntime-web's thread count is process-global), every Chromium one in its own
 * browser; each does one warm-up batch, then times run() calls only. The speed rows run in rounds
 * (each ratio taken within a round; the median round is printed with the range).
 * Run after `npm run build`: `npm run bench`. Env: ONEBIT_BENCH_ENGINE_IMAGES (default 50), batch 25;
 * ONEBIT_BENCH_ROUNDS (default 3).
 */
// Only what a child (the measured process) needs is imported statically; main() imports the rest,
// so a child's peak RSS holds no modules the script it stands for would not load.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BATCH = 25;
const self = fileURLToPath(import.meta.url);
const shared = process.env.ONEBIT_SHARED ?? fileURLToPath(new URL('../../../../shared/', import.meta.url));
const cifarPath = join(shared, 'datasets/cifar10/test_batch_0-999.bin');

/**
 * raw255 NCHW float32 of CIFAR-10 test images [start, start + n), read from the file as needed (no
 * copy of the whole set in memory); into `reuse`'s buffers when given (a script that classifies
 * batch after batch keeps one input buffer: a new one per batch leaves freed blocks in malloc's heap).
 */
function images(fd, start, n, reuse) {
  const raw = reuse?.raw ?? new Uint8Array(n * 3073);
  readSync(fd, raw, 0, raw.length, start * 3073);
  const x = reuse?.x ?? new Float32Array(n * 3072);
  // Each record is a label byte then 3072 pixel bytes; set() converts them to float32 natively.
  for (let i = 0; i < n; i++) x.set(raw.subarray(i * 3073 + 1, (i + 1) * 3073), i * 3072);
  return x;
}

/** Reads the whole file at `path` into `into` (its length), without another buffer. */
function readInto(path, into) {
  const fd = openSync(path, 'r');
  try {
    for (let at = 0; at < into.length; ) {
      const n = readSync(fd, into, at, into.length - at, at);
      if (n === 0) throw new Error(`bench: ${path} ended after ${at} of ${into.length} bytes.`);
      at += n;
    }
  } finally {
    closeSync(fd);
  }
}

async function makeRunner(kind, threads, modelPath) {
  if (kind === 'engine') {
    // The package's own entry, as a user's script imports it (self-reference by name: dist/bundle).
    const { loadEngineInto } = await import('@onebit/engine');
    // The file is read straight into the engine's memory, whose region then holds the activations.
    const engine = await loadEngineInto(statSync(modelPath).size, (into) => readInto(modelPath, into), { threads });
    if (threads > 1) {
      const { Worker } = await import('node:worker_threads');
      const url = import.meta.resolve('@onebit/engine/thread-worker');
      await engine.startThreads(() => {
        const w = new Worker(`require('node:worker_threads').parentPort.once('message', async (m) => (await import(${JSON.stringify(url)})).startThread(m));`, { eval: true });
        w.unref();
        return w;
      });
    }
    return { run: async (x, dims) => engine.run(x, dims)[0].data, engine };
  }
  const ort = kind === 'node' ? await import('onnxruntime-node') : await import('onnxruntime-web');
  if (kind === 'wasm') ort.env.wasm.numThreads = threads;
  const options = kind === 'node'
    ? { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionProviders: ['cpu'], extra: { session: { intra_op: { allow_spinning: '0' } } } }
    : { graphOptimizationLevel: 'all', executionProviders: ['wasm'] };
  const session = await ort.InferenceSession.create(readFileSync(modelPath), options);
  return { run: async (x, dims) => (await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, dims) }))[session.outputNames[0]].data };
}

/**
 * This process's peak resident set in bytes: VmHWM of /proc/self/status on Linux (the high-water
 * mark of this process's own memory; getrusage's maxRSS survives execve on Linux, so a child
 * spawned by this bench would report the parent's peak when that was higher), else maxRSS.
 */
function peakRss() {
  try {
    const hwm = /^VmHWM:\s*(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

async function child(kind, threads, modelPath, n) {
  const fd = openSync(cifarPath, 'r');
  const runner = await makeRunner(kind, threads, modelPath);
  const batch = { raw: new Uint8Array(BATCH * 3073), x: new Float32Array(BATCH * 3072) };
  await runner.run(images(fd, 0, BATCH, batch), [BATCH, 3, 32, 32]); // warm-up
  let ms = 0;
  let cpuMs = 0;
  for (let start = 0; start < n; start += BATCH) {
    const x = images(fd, start, BATCH, batch);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await runner.run(x, [BATCH, 3, 32, 32]);
    const c = process.cpuUsage(c0);
    ms += performance.now() - t0;
    cpuMs += (c.user + c.system) / 1000;
  }
  const memory = runner.engine?.memory;
  const peakRssBytes = peakRss();
  // cores: CPU time of all the process's threads ÷ wall time while timed (≈ threads on an idle machine).
  process.stdout.write(JSON.stringify({ imagesPerSecond: (n * 1000) / ms, cores: cpuMs / ms, peakRssBytes, resident: await residentParts(), memory }));
}

/**
 * Where this process's resident bytes are now (after the last batch, ≈ its peak), from
 * /proc/self/smaps: pages of the node binary, of other files (shared libraries), anonymous memory
 * (V8's heap, WebAssembly memories, malloc), and of that V8's heap (physical size). Linux only.
 */
async function residentParts() {
  let smaps;
  try {
    smaps = readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return undefined; // not Linux
  }
  const parts = { nodeBinary: 0, otherFiles: 0, anonymous: 0 };
  let part = 'anonymous';
  for (const line of smaps.split('\n')) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) part = mapping[1] === process.execPath ? 'nodeBinary' : mapping[1].startsWith('/') ? 'otherFiles' : 'anonymous';
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) parts[part] += Number(rss[1]) * 1024;
  }
  const { getHeapStatistics } = await import('node:v8');
  return { ...parts, v8Heap: getHeapStatistics().total_physical_size };
}

/** Peak RSS of a Node process that does nothing (the floor under every figure above). */
async function nodeAlone() {
  const { execFileSync } = await import('node:child_process');
  const status = execFileSync(process.execPath, ['-e', "process.stdout.write(require('fs').readFileSync('/proc/self/status', 'utf8'))"], { encoding: 'utf8' });
  return Number(/^VmHWM:\s*(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
}

async function run(kind, threads, modelPath, n) {
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync(process.execPath, [self, '--child', kind, String(threads), modelPath, String(n)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out);
}

/**
 * images/s of one Chromium runner (@onebit/validate's: the engine in a Web Worker, or
 * onnxruntime-web wasm), timing run() calls after a warm-up batch; each call includes the page
 * fetching the batch and returning the logits, the same for both.
 */
async function chromiumRow(runner, modelPath, n) {
  const fd = openSync(cifarPath, 'r');
  try {
    await runner.run(images(fd, 0, BATCH), [BATCH, 3, 32, 32]);
    let ms = 0;
    for (let start = 0; start < n; start += BATCH) {
      const x = images(fd, start, BATCH);
      const t0 = performance.now();
      await runner.run(x, [BATCH, 3, 32, 32]);
      ms += performance.now() - t0;
    }
    return { name: runner.name, imagesPerSecond: (n * 1000) / ms, download: await runner.pageDownload() };
  } finally {
    closeSync(fd);
    await runner.dispose();
  }
}

async function main() {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { gzipSync } = await import('node:zlib');
  const { loadavg } = await import('node:os');
  const load = () => loadavg().map((l) => l.toFixed(2)).join(', ');
  const loadBefore = load();
  let convertSync;
  try {
    ({ convertSync } = await import('@onebit/convert'));
  } catch {
    console.error('bench: @onebit/convert is not built; run `npm run build` at the repository root first.');
    process.exit(1);
  }
  const modelPath = join(mkdtempSync(join(tmpdir(), 'onebit-engine-bench-')), 'wrn20-10.packed.onnx');
  const mat = readFileSync(join(shared, 'models/mcdonnell-wrn20-10-cifar10/matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat'));
  writeFileSync(modelPath, convertSync(new Uint8Array(mat)).bytes);
  const n = Number(process.env.ONEBIT_BENCH_ENGINE_IMAGES ?? 50);
  const mb = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;
  const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

  // This VM's speed drifts by a third over minutes (other tenants of its host), so one pass of six
  // rows in a row can compare a fast minute with a slow one: every row runs once per round, each
  // ratio is taken within a round, and the median round is reported with the range over rounds.
  const rounds = Number(process.env.ONEBIT_BENCH_ROUNDS ?? 3);
  const configs = [['engine', 1], ['engine', 2], ['wasm', 1], ['wasm', 2], ['node', 1], ['node', 2]];
  const perRound = [];
  for (let i = 0; i < rounds; i++) {
    const row = {};
    for (const [kind, threads] of configs) row[`${kind}${threads}`] = await run(kind, threads, modelPath, n);
    perRound.push(row);
  }
  const median = (values) => [...values].sort((x, y) => x - y)[(values.length - 1) >> 1];
  const spread = (values) => (values.length > 1 ? ` (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})` : '');
  const ips = (key) => {
    const v = perRound.map((r) => r[key].imagesPerSecond);
    return `${median(v).toFixed(2)}${spread(v)} on ${median(perRound.map((r) => r[key].cores)).toFixed(2)} cores`;
  };
  const within = (a, b, target) => {
    const v = perRound.map((r) => r[a].imagesPerSecond / r[b].imagesPerSecond);
    return `${median(v).toFixed(2)}×${spread(v)} (target ${target})`;
  };
  const engine = perRound[0].engine1;
  console.log(`@onebit/engine on the packed WRN-20-10 (MATLAB release), CIFAR-10 test images 0–${n - 1}, batch ${BATCH}, warm-up batch excluded; each row is its own process, ${rounds} round${rounds === 1 ? '' : 's'} of all six (median, range over rounds in brackets; each ratio within a round); load average at the start ${loadBefore}`);
  console.log(`images/s  engine 1 thread ${ips('engine1')}, 2 threads ${ips('engine2')}; "on c cores": the process's CPU time ÷ wall time while timed (an idle machine gives ≈ its threads; less means other work had the cores)`);
  console.log(`          1 thread:  ÷ onnxruntime-web wasm ${ips('wasm1')} = ${within('engine1', 'wasm1', '≥ 3×')}; ÷ onnxruntime-node ${ips('node1')} = ${within('engine1', 'node1', '≥ 0.5×')}`);
  console.log(`          2 threads: ÷ onnxruntime-web wasm ${ips('wasm2')} = ${within('engine2', 'wasm2', '≥ 3×')}; ÷ onnxruntime-node ${ips('node2')} = ${within('engine2', 'node2', '≥ 0.5×')}`);

  const rssEngine = await run('engine', 1, modelPath, 100);
  const rssNode = await run('node', 1, modelPath, 100);
  const mbBoth = (b) => `${mb(b)} (${(b / 1e6).toFixed(1)} MB)`;
  console.log(`peak RSS, load + classify 100 images: engine ${mbBoth(rssEngine.peakRssBytes)} vs onnxruntime-node ${mbBoth(rssNode.peakRssBytes)} (target ≤ 64 MB with the engine); \`node -e ''\` alone: ${mbBoth(await nodeAlone())}`);
  const r = rssEngine.resident;
  if (r) console.log(`          engine's resident pages after its last batch: node binary ${mb(r.nodeBinary)}, other files ${mb(r.otherFiles)}, anonymous ${mb(r.anonymous)} (V8 heap ${mb(r.v8Heap)}, wasm memory used ${mb(rssEngine.memory.wasmMemoryUsed)}, the rest malloc and thread stacks)`);
  const m = engine.memory;
  const floor = m.binaryWeightCount / 8;
  console.log(`resident binary weights: ${m.binaryWeightBytes} bytes for ${m.binaryWeightCount} weights = ${(m.binaryWeightBytes / floor).toFixed(4)}× the 1-bit floor of ${floor} bytes (target ≤ 1.05×); wasm memory ${mb(m.wasmMemory)}, of which ${mb(m.wasmMemoryUsed)} used (the model file's ${mb(statSync(modelPath).size)}, which then holds the binary weights on Node's shared memory; activations + scratch ${mb(m.activationBytes)}; float constants ${mb(m.floatWeightBytes)})`);
  for (const file of ['engine.wasm', 'engine-shared.wasm']) {
    const wasm = readFileSync(new URL(`../dist/${file}`, import.meta.url));
    console.log(`${file}: ${wasm.length} bytes, ${gzipSync(wasm, { level: 9 }).length} bytes gzipped (target ≤ 100 KB)`);
  }

  // Chromium: each row is its own browser; the engine runs in a Web Worker (threads: nested workers).
  const { createEngineBrowserRunner, createRunner } = await import('@onebit/validate');
  const model = readFileSync(modelPath);
  const browserRounds = [];
  for (let i = 0; i < rounds; i++) {
    const rows = {};
    for (const threads of [1, 2]) {
      rows[`engine${threads}`] = await chromiumRow(await createEngineBrowserRunner(model, threads), modelPath, n);
      rows[`ort${threads}`] = await chromiumRow(await createRunner(model, { runtime: 'browser', threads }), modelPath, n);
    }
    browserRounds.push(rows);
  }
  const rows = browserRounds[0];
  const browserIps = (key) => {
    const v = browserRounds.map((r) => r[key].imagesPerSecond);
    return `${median(v).toFixed(2)}${spread(v)}`;
  };
  console.log(`in Chromium (${rows.engine1.name.replace(/.* in /, '')}, loopback, cross-origin isolated; each run() includes fetching the batch and returning the logits; ${rounds} round${rounds === 1 ? '' : 's'}, as above):`);
  for (const t of [1, 2]) {
    const v = browserRounds.map((r) => r[`engine${t}`].imagesPerSecond / r[`ort${t}`].imagesPerSecond);
    console.log(`          ${t} thread${t === 1 ? ': ' : 's:'} engine ${browserIps(`engine${t}`)} ÷ onnxruntime-web wasm ${browserIps(`ort${t}`)} = ${median(v).toFixed(2)}×${spread(v)} (target ≥ 3×)`);
  }
  const page = (d) => `${(d.gzipBytes / 1e6).toFixed(2)} MB (${d.files.map((f) => `${f.path.replace(/^\//, '')} ${f.gzipBytes}`).join(', ')})`;
  console.log(`load average at the end ${load()} (figures taken while other work shares the cores are not the engine's own)`);
  console.log(`web page download, gzipped (level 9), 2-thread pages: engine ${page(rows.engine2.download)} vs onnxruntime-web ${page(rows.ort2.download)}; ratio ${ratio(rows.engine2.download.gzipBytes, rows.ort2.download.gzipBytes)} (target ≤ 4 MB and below onnxruntime-web's)`);
}

if (process.argv[2] === '--child') await child(process.argv[3], Number(process.argv[4]), process.argv[5], Number(process.argv[6]));
else await main();
