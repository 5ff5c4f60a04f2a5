/**
 * Name globs for the layer policy (`--keep 'layer1.*'`): `*` matches any run of characters (dots
 * included, so `layer1*` covers `layer1.0.conv1.weight`), `?` matches one character, and every other
 * character matches itself. A glob must match the whole tensor name.
 */

/** The RegExp equivalent of `pattern`; a RangeError for an empty pattern. */
export function globToRegExp(pattern: string): RegExp {
  if (pattern === '') throw new RangeError('A name glob must not be empty.');
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/** True when `name` matches `pattern` as a whole. */
export function matchesGlob(name: string, pattern: string): boolean {
  return globToRegExp(pattern).test(name);
}
