/**
 * The arithmetic every preprocessing preset shares: for each channel, a 256-entry float32 table
 * holding `(byte · scale − mean[c]) / std[c]`, each step rounded to float32 like torchvision's
 * ToTensor (÷255) then Normalize. Validation and the deployment runtime both build their inputs
 * from these tables, so a CIFAR image gives both exactly the same floats.
 */
import { MismatchError } from './errors.js';

export interface PixelNormalization {
  readonly name: string;
  /** Multiplier applied to the byte first (1 or 1/255 in the presets). */
  readonly scale: number;
  /** One value for all channels, or one per channel. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/**
 * One table per channel; `what` names the images in the error for a channel-count mismatch.
 * @throws MismatchError when the preset's per-channel mean or std count differs from `channels` (preprocessing and data disagree: bad data, not a bad call).
 */
export function pixelTables(p: PixelNormalization, channels: number, what = 'the images'): Float32Array[] {
  const f = Math.fround;
  const pick = (values: readonly number[], field: string, c: number): number => {
    if (values.length === 1) return values[0]!;
    if (values.length !== channels) throw new MismatchError(`Preprocessing "${p.name}" has ${values.length} ${field} values but ${what} have ${channels} channels.`);
    return values[c]!;
  };
  const tables: Float32Array[] = [];
  for (let c = 0; c < channels; c++) {
    const mean = f(pick(p.mean, 'mean', c));
    const std = f(pick(p.std, 'std', c));
    const table = new Float32Array(256);
    for (let v = 0; v < 256; v++) {
      const scaled = p.scale === 1 ? v : p.scale === 1 / 255 ? f(v / 255) : f(v * f(p.scale));
      table[v] = f(f(scaled - mean) / std);
    }
    tables.push(table);
  }
  return tables;
}
