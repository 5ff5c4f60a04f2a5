/**
 * Runs one fuzz case against one reader and measures it: wall time, and the growth of
 * ArrayBuffer plus JS heap memory (process.memoryUsage) across the call. The result is classified
 * by outcome.ts; a synchronous reader that never returns cannot be interrupted here, which is why
 * the command-line campaign runs each reader in a worker with a watchdog.
 */
import { CASE_TIME_LIMIT_MS, type Outcome, classifyError, memoryBound } from './outcome.js';
import type { FuzzTarget } from './target.js';

function used(): number {
  const m = process.memoryUsage();
  return m.arrayBuffers + m.heapUsed;
}

/** Reads `bytes` with `target` and says how it went. */
export async function runCase(target: FuzzTarget, bytes: Uint8Array): Promise<Outcome> {
  const before = used();
  const start = performance.now();
  let kind: Outcome['kind'] = 'accepted';
  let errorClass: string | undefined;
  let message: string | undefined;
  try {
    const value = target.read(bytes);
    if (value instanceof Promise) await value;
  } catch (error) {
    ({ kind, errorClass, message } = classifyError(error));
  }
  const ms = performance.now() - start;
  const allocated = Math.max(0, used() - before);
  if (kind !== 'crash') {
    if (ms > CASE_TIME_LIMIT_MS) {
      kind = 'timeout';
      message = `took ${ms.toFixed(0)} ms, more than the ${CASE_TIME_LIMIT_MS} ms bound`;
    } else if (allocated > memoryBound(bytes.length, target.memoryFactor)) {
      kind = 'memory';
      message = `allocated ${allocated} bytes for a ${bytes.length}-byte input, more than the bound of ${memoryBound(bytes.length, target.memoryFactor)}`;
    }
  }
  return { kind, ms, allocated, ...(errorClass ? { errorClass } : {}), ...(message ? { message } : {}) };
}
