/**
 * The app's inference worker: @onebit/runtime's worker module answers the page's requests; when the
 * page is cross-origin isolated, the onebit engine runs on several threads, each a nested worker.
 */
import { setEngineThreadWorker } from '@onebit/runtime/worker';

setEngineThreadWorker(() => new Worker(new URL('./engine-thread.worker.ts', import.meta.url), { type: 'module' }));
