/**
 * The first word of an error sentence: a generic subject ("the file", "the MAT file") is
 * capitalised, but a file name or path is kept exactly as the user typed it, since "Notes.txt" names
 * a different file than "notes.txt" on a case-sensitive disk.
 */

/** `text` with a leading generic "the …" capitalised; any other start (a file name) is returned unchanged. */
export function sentenceCase(text: string): string {
  return /^the\s/.test(text) ? `T${text.slice(1)}` : text;
}
