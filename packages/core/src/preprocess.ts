/**
 * The one registry of named preprocessing presets, shared by validation and the deployment runtime
 * (Node and browsers): how uint8 pixels become a model's float32 input, as
 * `(u8 · scale − mean[c]) / std[c]` evaluated in float32 step by step (as PyTorch does), so the
 * input matches the reference implementation bit for bit. A preset may also carry geometry (resize the
 * shorter side, centre crop), applied to the uint8 pixels before normalising (see image-geometry.ts).
 * A converted model names its preset in the ONNX metadata key `onebit.preprocess`.
 */
import { UsageError } from './errors.js';
import { pixelTables } from './pixel-tables.js';

export interface PreprocessPreset {
  readonly name: string;
  /** One line for reports. */
  readonly description: string;
  /** Multiplier applied to the byte first (1 or 1/255). */
  readonly scale: number;
  /** Per-channel mean subtracted after scaling (one value applies to every channel). */
  readonly mean: readonly number[];
  /** Per-channel divisor applied last. */
  readonly std: readonly number[];
  /** Resize the shorter side to this many pixels before cropping (uint8, with sharp). */
  readonly resize?: number;
  /** Centre crop size after the resize. */
  readonly crop?: number;
}

/** Explicit overrides of a preset (`--mean/--std/--size/--crop`). */
export interface PreprocessOverrides {
  mean?: readonly number[];
  std?: readonly number[];
  resize?: number;
  crop?: number;
}

const TORCHVISION_MEAN = [0.485, 0.456, 0.406];
const TORCHVISION_STD = [0.229, 0.224, 0.225];

const presets = new Map<string, PreprocessPreset>();

/** Adds (or replaces) a preset under its name. */
export function registerPreprocess(preset: PreprocessPreset): void {
  presets.set(preset.name, preset);
}

registerPreprocess({ name: 'unit', description: 'RGB bytes / 255 as float32 0..1, NCHW, no mean/std', scale: 1 / 255, mean: [0], std: [1] });
registerPreprocess({ name: 'raw255', description: 'RGB bytes as float32 0..255, NCHW, no scaling (the authors\' models; their first BN normalises)', scale: 1, mean: [0], std: [1] });
registerPreprocess({ name: 'cifar-torchvision', description: '(u8/255 − mean)/std with ImageNet\'s mean [0.485, 0.456, 0.406] and std [0.229, 0.224, 0.225] (what akamaster\'s CIFAR ResNet training code uses), NCHW float32', scale: 1 / 255, mean: TORCHVISION_MEAN, std: TORCHVISION_STD });
// The CIFAR mean/std in 0..255 units that WRN training codes use (szagoruyko's wide-residual-networks
// and binary-wide-resnet `create_dataset`): x/255 normalised by mean/255 and std/255.
registerPreprocess({ name: 'cifar-wrn', description: '(u8/255 − mean/255)/(std/255), CIFAR mean [125.3, 123.0, 113.9], std [63.0, 62.1, 66.7] (WRN training codes), NCHW float32', scale: 1 / 255, mean: [125.3 / 255, 123.0 / 255, 113.9 / 255], std: [63.0 / 255, 62.1 / 255, 66.7 / 255] });

registerPreprocess({
  name: 'imagenet',
  description: 'RGB; shorter side → 256 (Pillow-style bilinear on uint8, with sharp), centre crop 224 at round((W−224)/2), round((H−224)/2); (u8/255 − mean)/std, mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225]; NCHW float32',
  scale: 1 / 255, mean: TORCHVISION_MEAN, std: TORCHVISION_STD, resize: 256, crop: 224,
});

/** `base` with `overrides` applied; the name and description say what was changed. */
export function customPreprocess(base: PreprocessPreset, overrides: PreprocessOverrides): PreprocessPreset {
  const changes: string[] = [];
  const check = (values: readonly number[] | undefined, what: string, positive: boolean): void => {
    if (values === undefined) return;
    if (values.length < 1 || values.some((v) => !Number.isFinite(v) || (positive && v <= 0))) throw new UsageError(`--${what} must be finite${positive ? ' positive' : ''} numbers, got [${values.join(', ')}].`);
    changes.push(`${what} [${values.join(', ')}]`);
  };
  check(overrides.mean, 'mean', false);
  check(overrides.std, 'std', true);
  for (const [key, flag] of [['resize', 'size'], ['crop', 'crop']] as const) {
    const v = overrides[key];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${flag} must be a positive integer, got ${v}.`);
    changes.push(`${flag} ${v}`);
  }
  if (changes.length === 0) return base;
  return {
    ...base,
    ...(overrides.mean ? { mean: overrides.mean } : {}),
    ...(overrides.std ? { std: overrides.std } : {}),
    ...(overrides.resize !== undefined ? { resize: overrides.resize } : {}),
    ...(overrides.crop !== undefined ? { crop: overrides.crop } : {}),
    name: `${base.name}+custom`,
    description: `${base.description}; overridden: ${changes.join(', ')}`,
  };
}

/** Names of the registered presets. */
export function preprocessNames(): string[] {
  return [...presets.keys()];
}

/** The preset called `name`; a RangeError lists the known names otherwise. */
export function getPreprocess(name: string): PreprocessPreset {
  const p = presets.get(name);
  if (!p) throw new UsageError(`Unknown preprocessing "${name}"; known: ${preprocessNames().join(', ')}.`);
  return p;
}

/**
 * Applies `preset` to `pixels` (images × channels × plane bytes, plane = H·W) and returns float32
 * values in the same NCHW order. `out` is reused when given and large enough.
 */
export function applyPreprocess(preset: PreprocessPreset, pixels: Uint8Array, channels: number, plane: number, out?: Float32Array): Float32Array {
  if (!Number.isInteger(channels) || channels < 1 || !Number.isInteger(plane) || plane < 1 || pixels.length % (channels * plane) !== 0) {
    throw new RangeError(`${pixels.length} pixels are not a whole number of ${channels}×${plane} images.`);
  }
  const tables = pixelTables(preset, channels);
  const result = out && out.length >= pixels.length ? out.subarray(0, pixels.length) : new Float32Array(pixels.length);
  for (let start = 0, c = 0; start < pixels.length; start += plane, c = (c + 1) % channels) {
    const table = tables[c]!;
    for (let i = start; i < start + plane; i++) result[i] = table[pixels[i]!]!;
  }
  return result;
}

