/**
 * The honest warning: binarizing weights that were not trained for 1 bit collapses accuracy. Two
 * signals: binaryDistance (‖w − a·sign(w)‖/‖w‖ with a = mean|w|: 0 for ±a weights, about 0.6 for
 * Gaussian ones) says the weights are not already binary; but the latent float weights of a
 * 1-bit-trained model are just as far from ±a, so the BatchNorm evidence of bn-evidence.ts decides
 * whether they were trained as float. Onebit warns when the mean distance exceeds a threshold
 * (0.2 by default) unless the BN statistics show 1-bit training, and says which case it is.
 */
import type { TrainingEvidence } from './bn-evidence.js';

/** Mean binaryDistance above which weights are not already (close to) binary. */
export const NOT_TRAINED_DISTANCE = 0.2;

export interface NotTrainedWarning {
  readonly kind: 'not-trained-for-1-bit';
  readonly meanDistance: number;
  readonly threshold: number;
  readonly evidence: TrainingEvidence;
  /** The binarized weights farthest from ±a, worst first (at most 5). */
  readonly worst: readonly { name: string; distance: number }[];
  readonly message: string;
}

/**
 * The warning for weights binarized from these distances, or undefined when they are close to ±a or
 * the BatchNorm statistics show they are latent weights of a 1-bit-trained model.
 */
export function notTrainedWarning(
  distances: readonly { name: string; distance: number }[],
  evidence: TrainingEvidence = { verdict: 'unknown', layers: 0 },
  threshold = NOT_TRAINED_DISTANCE,
): NotTrainedWarning | undefined {
  if (distances.length === 0) return undefined;
  const meanDistance = distances.reduce((s, d) => s + d.distance, 0) / distances.length;
  if (!(meanDistance > threshold) || evidence.verdict === 'one-bit-trained') return undefined;
  const worst = [...distances].sort((a, b) => b.distance - a.distance).slice(0, 5);
  const far = `The ${distances.length} binarized weights are far from ±a (mean relative distance ${meanDistance.toFixed(3)} > ${threshold}; 0 means exactly binary, about 0.6 means ordinary float weights)`;
  const message =
    evidence.verdict === 'float-trained'
      ? `${far} and the BatchNorm statistics of ${evidence.layers} layers follow the float weights (correlation ${evidence.correlation!.toFixed(2)}): this model was trained with float weights, not for 1-bit weights, and its accuracy will likely collapse.`
      : `${far} and no BatchNorm statistics tell how they were trained: unless these are the latent weights of a model trained for 1-bit weights, its accuracy will likely collapse.`;
  return { kind: 'not-trained-for-1-bit', meanDistance, threshold, evidence, worst, message };
}
