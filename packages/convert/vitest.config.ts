/**
 * Test configuration: the workspace-wide settings in ../../vitest.shared.ts, with one test file at
 * a time. Several tests here make single synchronous calls of 10–20 s on the 26.7 M-weight WRN
 * (a float ONNX round trip through the container); with two files competing for 2 cores such a call
 * outlasted vitest's fixed 60 s worker RPC timeout ("Timeout calling onTaskUpdate").
 */
import { mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

export default mergeConfig(shared, { test: { poolOptions: { forks: { maxForks: 1, minForks: 1 } } } });
