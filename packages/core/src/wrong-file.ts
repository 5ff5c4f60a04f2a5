/**
 * Recognises files that are not models at all — empty files, Git LFS pointers, HTML pages (a
 * download that returned an error page) — so every reader can say so instead of a parse error.
 */
import { WrongFileError } from './errors.js';
import { sentenceCase } from './sentence-case.js';

const decoder = new TextDecoder('utf-8', { fatal: false });

/** A one-sentence description of why `bytes` is obviously not a model, or undefined. */
export function describeWrongFile(bytes: Uint8Array, name = 'the file'): string | undefined {
  if (bytes.length === 0) return `${name} is empty (0 bytes).`;
  // A copy (slice), since browsers' TextDecoder refuses views of shared memory.
  const head = decoder.decode(bytes.slice(0, 512)).replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('version https://git-lfs.github.com/spec/')) {
    const size = /\nsize (\d+)/.exec(head)?.[1];
    return `${name} is a Git LFS pointer${size ? ` to a ${size}-byte object` : ''}, not the model itself; run \`git lfs pull\` or download the real file.`;
  }
  const lower = head.slice(0, 200).toLowerCase();
  if (lower.startsWith('<!doctype html') || lower.startsWith('<html') || /^<\?xml[^>]*>\s*<html/.test(lower)) {
    return `${name} is an HTML page (${bytes.length} bytes), probably an error or login page saved instead of the download.`;
  }
  return undefined;
}

/** Throws WrongFileError when `bytes` is obviously not a model. */
export function assertNotWrongFile(bytes: Uint8Array, name?: string): void {
  const why = describeWrongFile(bytes, name);
  if (why) throw new WrongFileError(sentenceCase(why));
}
