/** The installed onebit CLI's version, shown by --version and recorded in reports as their tool. */
import { createRequire } from 'node:module';

/** The version in package.json (which sits one level above dist/ and src/). */
export const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** The tool recorded in validation reports, e.g. "onebit 0.1.0". */
export const TOOL = `onebit ${version}`;
