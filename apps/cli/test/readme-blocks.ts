/**
 * The fenced code blocks of a Markdown file (the README), so tests can run them as written: each
 * block's info string (`sh`, `ts`, …), its text, the line its fence opens on and the
 * `<!-- readme-test: … -->` note on the line above it, if any (why a block is not run).
 */
import { readFileSync } from 'node:fs';

export interface CodeBlock {
  readonly lang: string;
  readonly text: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The text of a `<!-- readme-test: TEXT -->` comment on the line just above the fence, if there is one. */
  readonly note?: string;
}

const NOTE = /^\s*<!--\s*readme-test:\s*(.*?)\s*-->\s*$/;

/** Every ``` fenced block of the Markdown file at `path`, in order. */
export function codeBlocks(path: string): CodeBlock[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    // A fence may be indented (a block inside a list item); its indent is taken off the body.
    const open = /^( *)```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^ *```\s*$/.test(lines[i]!); i++) body.push(lines[i]!.startsWith(indent) ? lines[i]!.slice(indent.length) : lines[i]!);
    const note = start > 0 ? NOTE.exec(lines[start - 1]!)?.[1] : undefined;
    blocks.push({ lang: open[2]!, text: body.join('\n') + '\n', line: start + 1, ...(note !== undefined ? { note } : {}) });
  }
  return blocks;
}

/** The one block whose first line starts with `marker` (e.g. `// classify.mjs`); throws if there is not exactly one. */
export function blockStartingWith(path: string, marker: string): CodeBlock {
  const found = codeBlocks(path).filter((b) => b.text.startsWith(marker));
  if (found.length !== 1) throw new Error(`${path} has ${found.length} code blocks starting with ${marker}; expected 1.`);
  return found[0]!;
}

/** The command lines of a shell block, trailing `# comments` and blank lines dropped (for `sh -c`). */
export function shellCommands(block: CodeBlock): string[] {
  return block.text
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').replace(/^#.*$/, '').trim())
    .filter((l) => l.length > 0);
}
