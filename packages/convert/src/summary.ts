/**
 * What a conversion produced, in numbers a user can check: layers, binary weights, bytes and
 * the resulting bits per binary weight (the 1-bit floor is ⌈weights/8⌉ bytes).
 */
export interface ConversionSummary {
  readonly inputFormat: string;
  readonly family: string;
  readonly weights: 'packed' | 'float';
  readonly binaryLayers: number;
  readonly binaryWeights: number;
  readonly numClasses: number;
  readonly inputShape: readonly number[];
  readonly preprocess: string;
  readonly outputBytes: number;
  /** outputBytes · 8 / binaryWeights: everything in the file, BN statistics and graph included. */
  readonly bitsPerWeight: number;
  /** ⌈binaryWeights / 8⌉: the bytes the sign bits alone need. */
  readonly oneBitFloorBytes: number;
  readonly notes: Readonly<Record<string, string | number>>;
}

export function formatSummary(s: ConversionSummary): string[] {
  const mb = (n: number) => `${(n / 1e6).toFixed(3)} MB`;
  return [
    `input        ${s.inputFormat} → ${s.family}`,
    `layers       ${s.binaryLayers} binary conv layers, ${s.numClasses} classes, input [${s.inputShape.join(', ')}], preprocess ${s.preprocess}`,
    `weights      ${s.binaryWeights.toLocaleString('en-US')} binary weights, stored ${s.weights}`,
    `size         ${s.outputBytes.toLocaleString('en-US')} bytes (${mb(s.outputBytes)}); 1-bit floor ${s.oneBitFloorBytes.toLocaleString('en-US')} bytes`,
    `bits/weight  ${s.bitsPerWeight.toFixed(3)}`,
  ];
}
