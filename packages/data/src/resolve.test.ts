/** Tests of the data resolver's order: explicit path, env var, shared folder, cache, then (refused offline) download. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assetEnvVar } from './assets.js';
import { resolveAsset, resolveAssetLocal } from './resolve.js';

function fakeShared(): string {
  const root = mkdtempSync(join(tmpdir(), 'onebit-shared-'));
  mkdirSync(join(root, 'models'), { recursive: true });
  writeFileSync(join(root, 'README.md'), '# shared');
  mkdirSync(join(root, 'datasets/cifar10'), { recursive: true });
  writeFileSync(join(root, 'datasets/cifar10/test_batch_0-999.bin'), 'x');
  return root;
}

describe('resolveAsset', () => {
  it('prefers an explicit path, then the env var, then the shared folder, then the cache', () => {
    const shared = fakeShared();
    const cache = mkdtempSync(join(tmpdir(), 'onebit-cache-'));
    const explicit = join(cache, 'mine.bin');
    const fromEnv = join(cache, 'env.bin');
    writeFileSync(explicit, 'e');
    writeFileSync(fromEnv, 'v');
    const env = { ONEBIT_SHARED: shared, ONEBIT_CACHE: cache, [assetEnvVar('cifar10-test')]: fromEnv };
    expect(resolveAssetLocal('cifar10-test', { path: explicit, env })).toEqual({ path: explicit, source: 'explicit' });
    expect(resolveAssetLocal('cifar10-test', { env })).toEqual({ path: fromEnv, source: 'env' });
    expect(resolveAssetLocal('cifar10-test', { env: { ONEBIT_SHARED: shared, ONEBIT_CACHE: cache } })).toEqual({
      path: join(shared, 'datasets/cifar10/test_batch_0-999.bin'),
      source: 'shared',
    });
    writeFileSync(join(cache, 'cifar100_test.bin'), 'c');
    expect(resolveAssetLocal('cifar100-test', { env: { ONEBIT_SHARED: shared, ONEBIT_CACHE: cache } })).toEqual({ path: join(cache, 'cifar100_test.bin'), source: 'cache' });
  });

  it('names the env var for each asset', () => {
    expect(assetEnvVar('wrn-matlab-cifar10')).toBe('ONEBIT_WRN_MATLAB_CIFAR10');
  });

  it('refuses to download when offline and says how to provide the file', async () => {
    const env = { ONEBIT_SHARED: fakeShared(), ONEBIT_CACHE: mkdtempSync(join(tmpdir(), 'onebit-cache-')), ONEBIT_OFFLINE: '1' };
    await expect(resolveAsset('wrn-matlab-cifar100', { env })).rejects.toThrow(
      /was not found locally and ONEBIT_OFFLINE=1 forbids downloading https:\/\/github.com\/McDonnell-Lab\/1-bit-per-weight\/raw\/master\/TrainedModels\/Matlab\/TrainedWideResNet20-10_CIFAR100_1-bit-per-weight-4MB.mat; set ONEBIT_WRN_MATLAB_CIFAR100=<path>/,
    );
  });

  it('reports a missing explicit path', () => {
    expect(() => resolveAssetLocal('cifar10-test', { path: '/nonexistent/x.bin' })).toThrow('The file /nonexistent/x.bin does not exist.');
  });

  it('rejects unknown asset ids as a caller mistake', () => {
    expect(() => resolveAssetLocal('nope')).toThrow(RangeError);
  });
});
