/** The engine's typed errors: what it cannot run is reported at load, naming the node and op. */
import { UnsupportedError } from '@onebit/core';

/** The graph uses an operator (or an attribute of one) that the engine does not implement. */
export class UnsupportedOpError extends UnsupportedError {
  constructor(
    readonly opType: string,
    readonly nodeName: string,
    detail?: string,
  ) {
    super(
      opType === 'graph'
        // A property of the whole graph (its inputs or outputs), not of one node.
        ? `onebit engine: graph '${nodeName}' has ${detail ?? 'a form'}, which the engine does not support; run this model with onnxruntime (runtime 'node' or 'wasm').`
        : `onebit engine: node '${nodeName}' uses ${detail ? `${opType} with ${detail}` : `the operator ${opType}`}, which the engine does not support; run this model with onnxruntime (runtime 'node' or 'wasm').`,
    );
  }
}
