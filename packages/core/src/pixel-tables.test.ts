/** Tests of the shared preprocessing tables: raw255 is the identity, torchvision's arithmetic is float32 step by step. */
import { describe, expect, it } from 'vitest';
import { MismatchError } from './errors.js';
import { pixelTables } from './pixel-tables.js';

describe('pixelTables', () => {
  it('maps bytes to themselves for raw255', () => {
    const [t] = pixelTables({ name: 'raw255', scale: 1, mean: [0], std: [1] }, 1);
    expect(t![0]).toBe(0);
    expect(t![255]).toBe(255);
  });
  it('rounds each torchvision step to float32', () => {
    const tables = pixelTables({ name: 'cifar-torchvision', scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }, 3);
    const f = Math.fround;
    expect(tables[2]![200]).toBe(f(f(f(200 / 255) - f(0.406)) / f(0.225)));
    expect(tables[0]![0]).toBeCloseTo(-2.1179, 4);
  });
  it('EXPECTED FAILURE: names the channel mismatch as a typed data error (MismatchError: the CLI exits 1, not 2)', () => {
    expect(() => pixelTables({ name: 'imagenet', scale: 1 / 255, mean: [0.1, 0.2, 0.3], std: [1] }, 2, 'the model inputs')).toThrow(MismatchError);
    expect(() => pixelTables({ name: 'imagenet', scale: 1 / 255, mean: [0.1, 0.2, 0.3], std: [1] }, 2, 'the model inputs')).toThrow(
      'Preprocessing "imagenet" has 3 mean values but the model inputs have 2 channels.',
    );
    expect(() => pixelTables({ name: 'cifar-wrn', scale: 1 / 255, mean: [0], std: [0.2, 0.3, 0.4] }, 1)).toThrow(
      new MismatchError('Preprocessing "cifar-wrn" has 3 std values but the images have 1 channels.'),
    );
  });
});
