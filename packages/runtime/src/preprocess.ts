/**
 * Which preprocessing a loaded model uses: a preset name from @onebit/core's single registry (the
 * one validation uses; the model's `onebit.preprocess` metadata by default) or explicit parameters.
 * The arithmetic and geometry themselves live in @onebit/core (pixelTables, toPlanes), so the
 * runtime computes exactly the input tensor that `onebit validate` measured.
 */
import { getPreprocess, preprocessNames, type PixelNormalization, type PreprocessPreset } from '@onebit/core';

/** Explicit parameters: the normalisation, optionally with geometry (resize the shorter side, centre crop). */
export type PreprocessParams = PixelNormalization & { readonly description?: string; readonly resize?: number; readonly crop?: number };

/** A preset name (see preprocessNames) or explicit parameters. */
export type PreprocessSpec = string | PreprocessParams;

/**
 * The preset `spec` names, or `spec` itself as a preset.
 * @throws RangeError for an unknown preset name (the message lists the known ones).
 */
export function preprocessPreset(spec: PreprocessSpec): PreprocessPreset {
  if (typeof spec === 'string') return getPreprocess(spec);
  return { ...spec, description: spec.description ?? `(u8 · ${spec.scale} − [${spec.mean.join(', ')}]) / [${spec.std.join(', ')}]` };
}

export { preprocessNames };
