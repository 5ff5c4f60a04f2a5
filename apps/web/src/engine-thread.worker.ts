/** One of the onebit engine's thread workers: runs its share of every binary Conv on the shared memory. */
import { startThread } from '@onebit/engine/thread-worker';

self.onmessage = (e: MessageEvent) => startThread(e.data);
