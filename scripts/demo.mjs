/**
 * `npm run demo`: builds the onebit command and the packages it uses with turbo, printing nothing
 * unless the build fails (then its errors), and runs `onebit demo --out out` with any extra
 * arguments (`npm run demo -- --limit 100`), so the demo's result is all a fresh clone prints
 * after npm's two-line script banner.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const turbo = ['run', 'build', '--filter=onebit...', '--env-mode=loose'];
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const quiet = spawnSync(npx, ['--no-install', 'turbo', ...turbo, '--output-logs=none'], { cwd: root, stdio: 'ignore' });
if (quiet.status !== 0) {
  // Built again with the failing tasks' logs shown, so the error is on screen.
  const loud = spawnSync(npx, ['--no-install', 'turbo', ...turbo, '--output-logs=errors-only'], { cwd: root, stdio: 'inherit' });
  process.exit(loud.status ?? 1);
}
const demo = spawnSync(process.execPath, ['apps/cli/bin/onebit.js', 'demo', '--out', 'out', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(demo.status ?? 1);
