/**
 * The honest warning: binarizing weights that were not trained for 1 bit collapses accuracy. The
 * signal is binaryDistance (‖w − a·sign(w)‖/‖w‖ with a = mean|w|): 0 for ±a weights, about 0.6 for
 * Gaussian ones. Onebit warns when the mean distance of the weights it binarizes exceeds a
 * threshold (0.2 by default) and returns the warning as data; the CLI prints it.
 */

/** Mean binaryDistance above which the converted model is expected to lose most of its accuracy. */
export const NOT_TRAINED_DISTANCE = 0.2;

export interface NotTrainedWarning {
  readonly kind: 'not-trained-for-1-bit';
  readonly meanDistance: number;
  readonly threshold: number;
  /** The binarized weights farthest from ±a, worst first (at most 5). */
  readonly worst: readonly { name: string; distance: number }[];
  readonly message: string;
}

/** The warning for weights binarized from these distances, or undefined when they look 1-bit trained. */
export function notTrainedWarning(distances: readonly { name: string; distance: number }[], threshold = NOT_TRAINED_DISTANCE): NotTrainedWarning | undefined {
  if (distances.length === 0) return undefined;
  const meanDistance = distances.reduce((s, d) => s + d.distance, 0) / distances.length;
  if (!(meanDistance > threshold)) return undefined;
  const worst = [...distances].sort((a, b) => b.distance - a.distance).slice(0, 5);
  return {
    kind: 'not-trained-for-1-bit',
    meanDistance,
    threshold,
    worst,
    message:
      `The ${distances.length} binarized weights are far from ±a (mean relative distance ${meanDistance.toFixed(3)} > ${threshold}; ` +
      `0 means exactly binary, about 0.6 means ordinary float weights): this model was probably not trained for 1-bit weights, and its accuracy will likely collapse.`,
  };
}
