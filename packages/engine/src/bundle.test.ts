/**
 * The shipped entry (dist/bundle/index.js, what `import '@onebit/engine'` loads; scripts/bundle.mjs)
 * against the modules it is built from: the same exports, the same outputs, and errors that are
 * @onebit/core's own classes (the bundle imports them from `@onebit/core/errors`), so a caller's
 * `instanceof FormatError` / `UnsupportedError` holds. Runs after `npm run build`.
 */
import { tensor } from '@onebit/core';
// The built modules, as Node loads them for a user (vitest maps `@onebit/core` to its sources).
import { FormatError, UnsupportedError, WrongFileError } from '@onebit/core/errors';
import { encodeModel, GraphBuilder } from '@onebit/onnx';
import { describe, expect, it } from 'vitest';
import * as modules from './index.js';

const bundle = (await import(new URL('../dist/bundle/index.js', import.meta.url).href)) as typeof modules;
const coreIndex = (await import(new URL('../../core/dist/index.js', import.meta.url).href)) as typeof import('@onebit/core');

function reluModel(op = 'Relu'): Uint8Array {
  const b = new GraphBuilder('bundle');
  b.input('x', 'float32', ['N', 2, 3]);
  b.node(op, ['x'], {}, { outputs: ['y'] });
  b.output('y', 'float32', ['N', 2, 3]);
  return encodeModel(b.build({ opset: 13 }));
}

describe('the bundled entry', () => {
  it('exports what src/index.ts exports', () => {
    expect(Object.keys(bundle).sort()).toEqual(Object.keys(modules).sort());
    expect(bundle.SUPPORTED_OPS).toEqual(modules.SUPPORTED_OPS);
  });

  it('runs a model to the same values', () => {
    const x = tensor('float32', [1, 2, 3], new Float32Array([-1, 2, -3, 4, -0, 6])).data as Float32Array;
    const [y] = bundle.loadEngine(reluModel()).run(x, [1, 2, 3]);
    expect(Array.from(y!.data)).toEqual([0, 2, 0, 4, 0, 6]);
  });

  it("throws @onebit/core's error classes", () => {
    // `import { FormatError } from '@onebit/core'` in Node: the same class as the bundle's.
    expect(coreIndex.FormatError).toBe(FormatError);
    expect(coreIndex.UnsupportedError).toBe(UnsupportedError);
    // …and re-exports them, for a caller that depends on @onebit/engine alone.
    expect(bundle.FormatError).toBe(FormatError);
    expect(bundle.WrongFileError).toBe(WrongFileError);
    const model = reluModel();
    expect(() => bundle.loadEngine(model.subarray(0, model.length - 3))).toThrow(FormatError);
    expect(() => bundle.loadEngine(new Uint8Array([0x0a, 0xff]))).toThrow(WrongFileError);
    let caught: unknown;
    try {
      bundle.loadEngine(reluModel('Erf'));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UnsupportedError);
    expect(caught).toBeInstanceOf(bundle.UnsupportedOpError);
    expect((caught as Error).name).toBe('UnsupportedOpError');
  });
});
