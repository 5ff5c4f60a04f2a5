/**
 * The source of the app's service worker (sw.js): on install it precaches the app shell (HTML,
 * scripts, styles, onnxruntime-web's wasm, samples); afterwards same-origin GETs are answered from
 * that cache first, so a visited page works offline. A new build has a new version and a new cache.
 */

export function serviceWorkerSource(precache: readonly string[], version: string): string {
  return `/* onebit web app service worker, generated at build time (apps/web/build/service-worker.ts). */
const CACHE = 'onebit-app-${version}';
const PRECACHE = ${JSON.stringify(precache)};
self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('onebit-app-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(caches.open(CACHE).then(async (c) => {
    // ignoreVary: module scripts send Origin, the precache requests did not (and preview servers send Vary: Origin).
    const hit = await c.match(event.request, { ignoreSearch: true, ignoreVary: true });
    return hit || fetch(event.request);
  }));
});
`;
}
