/**
 * The onnxruntime-node runner (native CPU execution provider). Spinning intra-op threads are turned
 * off (`session.intra_op.allow_spinning = 0`): on small CI machines spinning workers steal the cores
 * the other workers need. Graph optimisation is 'all', which also constant-folds packed-bit decoders.
 */
import * as ort from 'onnxruntime-node';

import type { Runner } from './runner-types.js';
import { wrapSession } from './session.js';

export async function createNodeRunner(model: Uint8Array, threads: number): Promise<Runner> {
  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionProviders: ['cpu'],
    // The binding flattens nested keys with '.', giving the config key session.intra_op.allow_spinning.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  return wrapSession(model, 'node', `onnxruntime-node ${ort.env.versions.node ?? ''} (${threads} thread${threads === 1 ? '' : 's'})`.replace('  ', ' '),
    () => ort.InferenceSession.create(model, options), ort.Tensor);
}
