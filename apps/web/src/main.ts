/**
 * The onebit web app's page script: loads the packed WRN in a Web Worker through @onebit/runtime
 * (streamed with progress, cached by content hash), then classifies dropped, picked or bundled
 * images, shows the size panel and model facts, and runs the in-page validation. The model selector
 * swaps in another bundled model (the plain 20-4 CIFAR-100 net), disposing the one before.
 */
import type { BrowserImage, BrowserModel } from '@onebit/runtime';
import { createWorkerClassifier } from '@onebit/runtime/worker-client';
import type { AppData, ModelChoice } from '../build/generate-assets.js';
import { formatBytes } from './byte-format.js';
import { renderSizes } from './size-panel.js';
import { renderTop5 } from './top5-view.js';
import { runValidation } from './validate-panel.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const progress = $<HTMLProgressElement>('model-progress');
const status = $<HTMLParagraphElement>('model-status');
const preview = $<HTMLImageElement>('preview');
const caption = $<HTMLElement>('preview-caption');
const top5 = $<HTMLOListElement>('top5');
const latency = $<HTMLParagraphElement>('latency');
const validateButton = $<HTMLButtonElement>('validate');
const modelSelect = $<HTMLSelectElement>('model-select');

let model: BrowserModel | undefined;
let choice: ModelChoice | undefined;
let busy = Promise.resolve();

function fail(where: string, e: unknown): void {
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  status.textContent = `${where}: ${message}`;
  status.dataset['state'] = 'error';
  document.body.dataset['error'] = message;
}

async function classify(image: BrowserImage, src: string, description: string): Promise<void> {
  if (!model) return;
  preview.src = src;
  preview.alt = description;
  preview.hidden = false;
  caption.textContent = description;
  const start = performance.now();
  try {
    const ranked = await model.classify(image, { topK: 5 });
    const ms = performance.now() - start;
    renderTop5(top5, ranked);
    latency.textContent = `Latency ${ms.toFixed(1)} ms (decode, resize, inference in the worker, and messaging).`;
  } catch (e) {
    top5.replaceChildren();
    latency.textContent = e instanceof Error ? `Could not classify it: ${e.message}` : String(e);
  }
}

function classifyFile(file: File): void {
  const url = URL.createObjectURL(file);
  busy = busy.then(() => classify(file, url, `${file.name} (${formatBytes(file.size)})`));
}

function wireInputs(): void {
  const input = $<HTMLInputElement>('file-input');
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) classifyFile(file);
  });
  const zone = $<HTMLDivElement>('drop-zone');
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) classifyFile(file);
  });
}

function renderSamples(data: AppData): HTMLImageElement[] {
  const list = $<HTMLUListElement>('samples');
  const images: HTMLImageElement[] = [];
  list.replaceChildren(
    ...data.samples.map((s) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sample';
      const img = new Image(32, 32);
      img.src = s.file;
      img.alt = '';
      images.push(img);
      const label = `Test image ${s.index}, labelled ${data.classes[s.label]}`;
      button.setAttribute('aria-label', label);
      button.title = label;
      button.append(img);
      button.addEventListener('click', () => {
        busy = busy.then(() => classify(img, img.src, label));
      });
      li.append(button);
      return li;
    }),
  );
  return images;
}

function renderInfo(m: BrowserModel): void {
  const i = m.info;
  const rows: [string, string][] = [
    ['Runtime', `${i.backend} in a Web Worker${crossOriginIsolated && !i.backend.startsWith('onebit engine') ? ' (threads available)' : ''}`],
    ['Downloaded', i.fromCache ? `0 B (from the cache, ${formatBytes(i.modelBytes)} stored)` : formatBytes(i.bytesDownloaded)],
    ['Binary weights', i.weights.toLocaleString('en')],
    ['Bits per weight (file)', i.bitsPerWeight.toFixed(3)],
    i.backend.startsWith('onebit engine')
      ? ['Memory (WebAssembly, measured; weights at 1 bit)', formatBytes(i.bytesInMemory)]
      : ['Weights in memory (float32 after decoding, est.)', formatBytes(i.bytesInMemory)],
    ['Load time', `${i.loadTimeMs.toFixed(0)} ms (session ${i.sessionMs.toFixed(0)} ms)`],
    ['SHA-256', i.sha256],
  ];
  $<HTMLDListElement>('model-info').replaceChildren(
    ...rows.flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      return [dt, dd];
    }),
  );
}

/** Text for the classes a model knows, e.g. "10 CIFAR-10 classes". */
function classesText(c: ModelChoice): string {
  return c.classes.length === 100 ? '100 CIFAR-100 classes (fine labels)' : `${c.classes.length} CIFAR-10 classes`;
}

/**
 * Disposes the current model and loads `next` in the worker, with download progress. The model is
 * pinned to the SHA-256 the build recorded (a cached or served copy of other bytes is refused with
 * ModelIntegrityError), and the cache keeps at most `cachedModels` entries (the models this page offers).
 */
async function loadChoice(classifier: ReturnType<typeof createWorkerClassifier>, next: ModelChoice, cachedModels: number): Promise<void> {
  validateButton.disabled = true;
  modelSelect.disabled = true;
  status.dataset['state'] = 'loading';
  const previous = model;
  model = undefined;
  choice = undefined;
  await previous?.dispose();
  top5.replaceChildren();
  latency.textContent = '';
  $<HTMLParagraphElement>('model-name').textContent = next.name;
  $<HTMLElement>('model-classes').textContent = classesText(next);
  $<HTMLElement>('class-count').textContent = String(next.classes.length);
  status.textContent = 'Downloading the model…';
  progress.value = 0;
  const loaded = await classifier.loadModel(next.file, {
    labels: [...next.classes],
    expectedSha256: next.sha256,
    cacheLimits: { maxEntries: cachedModels },
    wasmPaths: new URL('ort/', document.baseURI).href,
    onProgress: (received, total) => {
      progress.max = total ?? received;
      progress.value = received;
      status.textContent = `Downloading the model: ${formatBytes(received)}${total ? ` of ${formatBytes(total)}` : ''}`;
    },
  });
  model = loaded;
  choice = next;
  progress.max = 1;
  progress.value = 1;
  const cacheNote = { off: '', miss: '', 'not-modified': ' (from the offline cache, checked current with the server)', pinned: ' (from the offline cache, checked by its SHA-256)', offline: ' (from the offline cache; the server could not be reached to check it is current)' }[loaded.info.cacheResult];
  status.textContent = `Model ready in ${loaded.info.loadTimeMs.toFixed(0)} ms${cacheNote}.`;
  status.dataset['state'] = 'ready';
  renderInfo(loaded);
  validateButton.disabled = false;
  modelSelect.disabled = false;
}

async function start(): Promise<void> {
  const data = (await (await fetch('app-data.json')).json()) as AppData;
  renderSizes($<HTMLTableElement>('size-table'), $<HTMLElement>('size-caption'), data);
  const sampleImages = renderSamples(data);
  wireInputs();
  modelSelect.replaceChildren(
    ...data.models.map((m) => {
      const option = document.createElement('option');
      option.value = m.id;
      option.textContent = `${m.name} — ${classesText(m)}`;
      return option;
    }),
  );

  const worker = new Worker(new URL('./classifier.worker.ts', import.meta.url), { type: 'module' });
  const classifier = createWorkerClassifier(worker);
  await loadChoice(classifier, data.models[0]!, data.models.length);
  modelSelect.addEventListener('change', () => {
    const next = data.models.find((m) => m.id === modelSelect.value)!;
    busy = busy.then(() => loadChoice(classifier, next, data.models.length)).catch((e: unknown) => fail('The model could not be loaded', e));
  });
  validateButton.addEventListener('click', () => {
    if (!model || !choice) return;
    validateButton.disabled = true;
    busy = busy
      .then(() => runValidation(model!, data, choice!, sampleImages, $<HTMLElement>('validate-summary'), $<HTMLTableElement>('validate-table')))
      .then(() => undefined, (e: unknown) => fail('Validation failed', e))
      .finally(() => {
        validateButton.disabled = false;
      });
  });
}

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  navigator.serviceWorker.register('./sw.js').catch((e: unknown) => {
    console.warn('service worker not registered:', e);
    // Without a service worker the app still works online; only the offline reload is lost.
  });
}

start().catch((e: unknown) => fail('The model could not be loaded', e));
