/**
 * Test configuration: the workspace-wide settings in ../../vitest.shared.ts, with one test file at
 * a time. The README demo test runs onnxruntime on 1000 images on both cores; a file running beside
 * it stalled long enough for vitest's fixed 60 s worker RPC timeout ("Timeout calling onTaskUpdate")
 * to fire on a fresh-clone CI run although every test passed.
 */
import { mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

export default mergeConfig(shared, { test: { poolOptions: { forks: { maxForks: 1, minForks: 1 } } } });
