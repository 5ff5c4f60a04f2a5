/**
 * Writes output files so that nothing half-written is ever left behind: bytes go to a temporary
 * file in the target folder, flushed to disk, which is renamed over the target only once complete,
 * and removed on failure or Ctrl-C. Refuses to overwrite the command's own input, also when the
 * target is the input under another name (a symbolic or hard link).
 */
import { UsageError } from '@onebit/core';
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const pending = new Set<string>();
let handlersInstalled = false;

function installSignalCleanup(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const p of pending) rmSync(p, { force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/** True when both paths exist and name the same file (same device and inode). */
function sameFile(a: string, b: string): boolean {
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/** Writes `bytes` to `target` atomically; `inputs` are paths the target must not be. */
export function writeFileAtomic(target: string, bytes: Uint8Array | string, inputs: readonly string[] = []): void {
  const abs = resolve(target);
  for (const input of inputs) {
    if (resolve(input) === abs || sameFile(input, abs)) throw new UsageError(`Refusing to overwrite the input file ${input}; choose another output path.`);
  }
  mkdirSync(dirname(abs), { recursive: true });
  const temp = join(dirname(abs), `.${basename(abs)}.${randomBytes(4).toString('hex')}.partial`);
  installSignalCleanup();
  pending.add(temp);
  try {
    const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    const fd = openSync(temp, 'wx');
    try {
      for (let at = 0; at < data.length;) at += writeSync(fd, data, at, data.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, abs);
  } finally {
    pending.delete(temp);
    rmSync(temp, { force: true });
  }
}
