/**
 * The first line of a thrown value's message: what the runners quote from onnxruntime's, the
 * engine's or Chromium's errors inside their own one-sentence ModelError.
 */

/** `e.message` (or `String(e)`) up to its first line break, trimmed. */
export function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.trim();
}
